package dev.chorus.sink;

import dev.chorus.config.EnvSettings;
import dev.chorus.config.EnvSettings.Setting;
import dev.chorus.contracts.ReportingModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Settings of the ClickHouse sink, in one typed place: defaults, environment-variable overrides,
 * validation that names every bad variable at once.
 */
public record SinkConfig(
    String kafkaBootstrapServers,
    String schemaRegistryUrl,
    String topicPrefix,
    String groupId,
    String clickhouseUrl,
    String clickhouseUser,
    String clickhousePassword,
    String database,
    String reportingDatabase,
    String cluster,
    boolean compress,
    boolean migrate,
    int batchRows,
    Duration batchMaxAge,
    Duration maxBackoff,
    String deadLetterTopic,
    String httpHost,
    int httpPort) {

  public static final List<Setting> SETTINGS =
      EnvSettings.concat(
          EnvSettings.KAFKA,
          new Setting(
              "CHORUS_SINK_GROUP_ID",
              "chorus-clickhouse-sink",
              "Kafka consumer group of the sink (its committed offsets are its progress)"),
          new Setting(
              "CHORUS_CLICKHOUSE_URL", "http://127.0.0.1:8123", "ClickHouse HTTP(S) endpoint"),
          new Setting(
              "CHORUS_CLICKHOUSE_USER",
              ReportingModel.WRITER,
              "ClickHouse user of the sink (writes tables, runs migrations, defines the views)"),
          new Setting("CHORUS_CLICKHOUSE_PASSWORD", "", "password of CHORUS_CLICKHOUSE_USER"),
          new Setting(
              "CHORUS_CLICKHOUSE_DATABASE", ReportingModel.DATABASE, "database of the base tables"),
          new Setting(
              "CHORUS_CLICKHOUSE_REPORTING_DATABASE",
              ReportingModel.REPORTING_DATABASE,
              "database of the analyst views"),
          new Setting(
              "CHORUS_CLICKHOUSE_CLUSTER",
              "",
              "cluster name: migrations then use ON CLUSTER and replicated engines (empty = one"
                  + " server)"),
          new Setting(
              "CHORUS_CLICKHOUSE_COMPRESS",
              "true",
              "LZ4-compress inserts (saves network; on loopback it only costs CPU)"),
          new Setting("CHORUS_SINK_MIGRATE", "true", "apply pending schema migrations at start-up"),
          new Setting(
              "CHORUS_SINK_BATCH_ROWS",
              "50000",
              "write a batch once it holds this many rows (or is CHORUS_SINK_BATCH_MAX_AGE_MS old)"),
          new Setting(
              "CHORUS_SINK_BATCH_MAX_AGE_MS",
              "1000",
              "write a batch at the latest this long after its first row arrived"),
          new Setting(
              "CHORUS_SINK_MAX_BACKOFF_MS",
              "30000",
              "longest wait between retries while ClickHouse is unavailable"),
          new Setting(
              "CHORUS_SINK_DEAD_LETTER_TOPIC",
              "",
              "topic for records that can never be written (default <prefix>sink.dead-letter)"),
          new Setting("CHORUS_SINK_HTTP_HOST", "127.0.0.1", "interface of /health and /metrics"),
          new Setting(
              "CHORUS_SINK_HTTP_PORT", "8083", "port of /health and /metrics (0 = any free)"));

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every bad variable
   */
  public static SinkConfig fromEnvironment(Map<String, String> env) {
    EnvSettings r = new EnvSettings(SETTINGS, env);
    for (String name :
        List.of(
            "CHORUS_CLICKHOUSE_DATABASE",
            "CHORUS_CLICKHOUSE_REPORTING_DATABASE",
            "CHORUS_CLICKHOUSE_CLUSTER")) {
      String value = r.text(name);
      if (!value.isEmpty() && !IDENTIFIER.matcher(value).matches()) {
        r.problem(name + " must be a plain identifier (letters, digits, _), got '" + value + "'");
      }
    }
    String url = r.text("CHORUS_CLICKHOUSE_URL");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      r.problem("CHORUS_CLICKHOUSE_URL must be an http:// or https:// URL, got '" + url + "'");
    }
    int batchRows = r.number("CHORUS_SINK_BATCH_ROWS", 1, "");
    int maxAge = r.number("CHORUS_SINK_BATCH_MAX_AGE_MS", 10, "");
    int backoff = r.number("CHORUS_SINK_MAX_BACKOFF_MS", 100, "");
    boolean migrate = r.flag("CHORUS_SINK_MIGRATE");
    boolean compress = r.flag("CHORUS_CLICKHOUSE_COMPRESS");
    int port = r.port("CHORUS_SINK_HTTP_PORT");
    r.validate("sink");
    String prefix = r.text("CHORUS_TOPIC_PREFIX");
    String dlq = r.text("CHORUS_SINK_DEAD_LETTER_TOPIC");
    return new SinkConfig(
        r.text("CHORUS_KAFKA_BOOTSTRAP_SERVERS"),
        r.text("CHORUS_SCHEMA_REGISTRY_URL"),
        prefix,
        r.text("CHORUS_SINK_GROUP_ID"),
        url,
        r.text("CHORUS_CLICKHOUSE_USER"),
        env.getOrDefault("CHORUS_CLICKHOUSE_PASSWORD", ""),
        r.text("CHORUS_CLICKHOUSE_DATABASE"),
        r.text("CHORUS_CLICKHOUSE_REPORTING_DATABASE"),
        r.text("CHORUS_CLICKHOUSE_CLUSTER"),
        compress,
        migrate,
        batchRows,
        Duration.ofMillis(maxAge),
        Duration.ofMillis(backoff),
        dlq.isEmpty() ? prefix + "sink.dead-letter" : dlq,
        r.text("CHORUS_SINK_HTTP_HOST"),
        port);
  }

  /** The migration target described by these settings. */
  public Migrations.Target target() {
    return new Migrations.Target(database, reportingDatabase, cluster);
  }
}

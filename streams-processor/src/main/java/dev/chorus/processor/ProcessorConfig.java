package dev.chorus.processor;

import dev.chorus.config.EnvSettings;
import dev.chorus.config.EnvSettings.Setting;
import dev.chorus.processor.engine.Aggregates;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.processor.topology.MetricsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of the streams processor, in one typed place: defaults, environment-variable overrides,
 * validation that names every bad variable at once.
 */
public record ProcessorConfig(
    String kafkaBootstrapServers,
    String schemaRegistryUrl,
    String topicPrefix,
    String applicationId,
    Path stateDir,
    int kMin,
    int threads,
    int rocksDbMemoryMb,
    List<Integer> rollingWindowDays,
    int graceDays,
    Double responseGate,
    int emitIntervalMs,
    int backlogEmitIntervalMs,
    boolean rollingItemDistributions,
    int partitions,
    String httpHost,
    int httpPort,
    Map<String, String> streamsOverrides) {

  /** Environment variables with this prefix set Kafka Streams properties directly. */
  public static final String STREAMS_PREFIX = "CHORUS_STREAMS_";

  public static final List<Setting> SETTINGS =
      EnvSettings.concat(
          EnvSettings.KAFKA,
          new Setting(
              "CHORUS_PROCESSOR_APPLICATION_ID",
              "chorus-processor",
              "Kafka Streams application id (consumer group, internal topic prefix)"),
          new Setting(
              "CHORUS_PROCESSOR_STATE_DIR",
              ".chorus-data/processor",
              "local state (RocksDB); rebuilt from changelogs if lost"),
          new Setting(
              "CHORUS_K_MIN", "5", "minimum distinct respondents per published cell (at least 3)"),
          new Setting("CHORUS_PROCESSOR_THREADS", "1", "stream threads"),
          new Setting(
              "CHORUS_PROCESSOR_ROCKSDB_MEMORY_MB",
              "128",
              "native memory shared by all local state stores (block cache and memtables; too"
                  + " little makes RocksDB flush and compact constantly)"),
          new Setting(
              "CHORUS_ROLLING_WINDOWS",
              "30,90",
              "rolling windows W in days, comma-separated (daily series per window)"),
          new Setting(
              "CHORUS_LATE_GRACE_DAYS",
              "14",
              "how far behind a district's newest event time a submission may be and still update"
                  + " rolling history"),
          new Setting(
              "CHORUS_RESPONSE_GATE",
              "off",
              "response rate (0..1], e.g. 0.5, below which a school's results are flagged"
                  + " `below_response_gate`; off = no gate"),
          new Setting(
              "CHORUS_EMIT_INTERVAL_MS",
              "1000",
              "how often changed cells are published (bounds freshness and output volume)"),
          new Setting(
              "CHORUS_BACKLOG_EMIT_INTERVAL_MS",
              "30000",
              "how often while catching up on a backlog (the records processed were written more"
                  + " than 5 intervals, at least 5 s, ago): a replay's intermediate states are"
                  + " published less often"),
          new Setting(
              "CHORUS_ROLLING_ITEM_DISTRIBUTIONS",
              "false",
              "publish item distributions as rolling daily series too (about 4x the rolling"
                  + " output of the scales; cycle to date is always published)"),
          new Setting(
              "CHORUS_PROCESSOR_PARTITIONS",
              "6",
              "partitions of the by-district repartition topics (upper bound on parallelism)"),
          new Setting(
              "CHORUS_PROCESSOR_HTTP_HOST", "127.0.0.1", "interface of /health and /metrics"),
          new Setting(
              "CHORUS_PROCESSOR_HTTP_PORT", "8082", "port of /health and /metrics (0 = any free)"));

  /** Settings as the processor's topology needs them. */
  public MetricsSettings metricsSettings() {
    return new MetricsSettings(
        new Aggregates.Settings(
            rollingWindowDays, Duration.ofDays(graceDays), new SmallCellPolicy(kMin), responseGate),
        Duration.ofMillis(emitIntervalMs),
        Duration.ofMillis(Math.max(emitIntervalMs, backlogEmitIntervalMs)),
        rollingItemDistributions,
        partitions);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every bad variable
   */
  public static ProcessorConfig fromEnvironment(Map<String, String> env) {
    EnvSettings r = new EnvSettings(SETTINGS, env);
    int kMin = r.number("CHORUS_K_MIN", SmallCellPolicy.K_MIN_FLOOR, "(domain spec §9)");
    int threads = r.number("CHORUS_PROCESSOR_THREADS", 1, "");
    int rocksDb = r.number("CHORUS_PROCESSOR_ROCKSDB_MEMORY_MB", 8, "");
    List<Integer> windows = new ArrayList<>();
    for (String part : r.text("CHORUS_ROLLING_WINDOWS").split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        int days = Integer.parseInt(part.trim());
        if (days < 1 || days > 366) {
          throw new NumberFormatException();
        }
        windows.add(days);
      } catch (NumberFormatException e) {
        r.problem(
            "CHORUS_ROLLING_WINDOWS must list whole numbers of days 1..366, got '"
                + r.text("CHORUS_ROLLING_WINDOWS")
                + "'");
        break;
      }
    }
    int grace = r.number("CHORUS_LATE_GRACE_DAYS", 0, "");
    Double gate = null;
    String gateText = r.text("CHORUS_RESPONSE_GATE");
    if (!gateText.equalsIgnoreCase("off")) {
      try {
        gate = Double.parseDouble(gateText);
        if (!(gate > 0 && gate <= 1)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        r.problem(
            "CHORUS_RESPONSE_GATE must be a rate in (0, 1] such as 0.5, or off, got '"
                + gateText
                + "'");
      }
    }
    int emitMs = r.number("CHORUS_EMIT_INTERVAL_MS", 10, "");
    int backlogMs = r.number("CHORUS_BACKLOG_EMIT_INTERVAL_MS", 10, "");
    boolean items = r.flag("CHORUS_ROLLING_ITEM_DISTRIBUTIONS");
    int partitions = r.number("CHORUS_PROCESSOR_PARTITIONS", 1, "");
    int port = r.port("CHORUS_PROCESSOR_HTTP_PORT");
    r.validate("processor");
    // CHORUS_STREAMS_CONSUMER_SESSION_TIMEOUT_MS=6000 -> consumer.session.timeout.ms=6000
    Map<String, String> overrides = new TreeMap<>();
    env.forEach(
        (key, value) -> {
          if (key.startsWith(STREAMS_PREFIX)) {
            overrides.put(
                key.substring(STREAMS_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                value);
          }
        });
    return new ProcessorConfig(
        r.text("CHORUS_KAFKA_BOOTSTRAP_SERVERS"),
        r.text("CHORUS_SCHEMA_REGISTRY_URL"),
        r.text("CHORUS_TOPIC_PREFIX"),
        r.text("CHORUS_PROCESSOR_APPLICATION_ID"),
        Path.of(r.text("CHORUS_PROCESSOR_STATE_DIR")).toAbsolutePath(),
        kMin,
        threads,
        rocksDb,
        List.copyOf(windows),
        grace,
        gate,
        emitMs,
        backlogMs,
        items,
        partitions,
        r.text("CHORUS_PROCESSOR_HTTP_HOST"),
        port,
        Map.copyOf(overrides));
  }
}

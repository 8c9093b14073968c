package dev.chorus.local;

import dev.chorus.local.clickhouse.ChdbEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of the local stack, in one typed place. Each setting has a default, an environment
 * variable and a command-line flag (flag wins); a port of 0 means "any free port".
 *
 * @param dataDir where Kafka and ClickHouse keep their data (a restart continues from it)
 * @param cacheDir where the ClickHouse engine download is cached
 * @param analystDistricts districts that get a ClickHouse analyst user restricted to their rows
 * @param externalKafka bootstrap servers of an existing Kafka to use instead of a local one, or ""
 * @param externalRegistry URL of an existing schema registry, or "" (the embedded one then runs,
 *     storing its schemas in whichever Kafka is used)
 * @param externalClickhouse HTTP(S) URL of an existing ClickHouse, or ""
 */
public record LocalStackConfig(
    Path dataDir,
    Path cacheDir,
    int kafkaPort,
    int kafkaControllerPort,
    int registryPort,
    int clickhouseHttpPort,
    int clickhouseTcpPort,
    boolean clickhouse,
    List<String> analystDistricts,
    String externalKafka,
    String externalRegistry,
    String externalClickhouse) {

  /** Everything local (no external endpoints). */
  public LocalStackConfig(
      Path dataDir,
      Path cacheDir,
      int kafkaPort,
      int kafkaControllerPort,
      int registryPort,
      int clickhouseHttpPort,
      int clickhouseTcpPort,
      boolean clickhouse,
      List<String> analystDistricts) {
    this(
        dataDir,
        cacheDir,
        kafkaPort,
        kafkaControllerPort,
        registryPort,
        clickhouseHttpPort,
        clickhouseTcpPort,
        clickhouse,
        analystDistricts,
        "",
        "",
        "");
  }

  /** One documented setting. */
  public record Setting(String flag, String env, String defaultValue, String doc) {}

  /** Every setting, in the order the help text lists them. */
  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "--data-dir",
              "CHORUS_DATA_DIR",
              ".chorus-data",
              "data directory (Kafka logs, ClickHouse tables)"),
          new Setting(
              "--cache-dir",
              ChdbEngine.CACHE_ENV,
              "~/.cache/chorus",
              "download cache for the ClickHouse engine"),
          new Setting("--kafka-port", "CHORUS_KAFKA_PORT", "9092", "Kafka client port"),
          new Setting(
              "--kafka-controller-port",
              "CHORUS_KAFKA_CONTROLLER_PORT",
              "9093",
              "Kafka KRaft controller port"),
          new Setting(
              "--registry-port", "CHORUS_REGISTRY_PORT", "8081", "schema registry HTTP port"),
          new Setting(
              "--clickhouse-http-port",
              "CHORUS_CLICKHOUSE_HTTP_PORT",
              "8123",
              "ClickHouse HTTP port"),
          new Setting(
              "--clickhouse-tcp-port",
              "CHORUS_CLICKHOUSE_TCP_PORT",
              "9000",
              "ClickHouse native port"),
          new Setting(
              "--analyst-districts",
              "CHORUS_ANALYST_DISTRICTS",
              "demo",
              "districts (comma-separated) that get a ClickHouse user chorus_analyst_<district>"
                  + " seeing only their rows"),
          new Setting(
              "--kafka-bootstrap-servers",
              "CHORUS_EXTERNAL_KAFKA",
              "",
              "use this existing Kafka instead of starting one"),
          new Setting(
              "--registry-url",
              "CHORUS_EXTERNAL_REGISTRY",
              "",
              "use this existing Confluent-compatible schema registry instead of the embedded one"),
          new Setting(
              "--clickhouse-url",
              "CHORUS_EXTERNAL_CLICKHOUSE",
              "",
              "use this existing ClickHouse (http[s]://host:port) instead of starting one; the sink"
                  + " and dashboard then log in with CHORUS_CLICKHOUSE_USER/_PASSWORD and"
                  + " CHORUS_DASHBOARD_CLICKHOUSE_USER/_PASSWORD"),
          new Setting(
              "--no-clickhouse", "CHORUS_NO_CLICKHOUSE", "false", "skip the local ClickHouse"));

  /** Districts with their own analyst user in {@link #ephemeral} stacks. */
  public static final List<String> TEST_DISTRICTS = List.of("demo", "north", "south");

  /** Settings for tests: everything on free ports under {@code dataDir}. */
  public static LocalStackConfig ephemeral(Path dataDir) {
    return new LocalStackConfig(
        dataDir, ChdbEngine.defaultCacheDir(), 0, 0, 0, 0, 0, true, TEST_DISTRICTS);
  }

  /**
   * Reads the settings from flags and the environment.
   *
   * @throws IllegalArgumentException naming every bad flag or variable
   */
  public static LocalStackConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Setting s : SETTINGS) {
      String fromEnv = env.get(s.env());
      values.put(s.flag(), fromEnv != null && !fromEnv.isBlank() ? fromEnv : s.defaultValue());
    }
    values.put(
        "--cache-dir",
        env.getOrDefault(ChdbEngine.CACHE_ENV, ChdbEngine.defaultCacheDir().toString()));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Setting setting =
          SETTINGS.stream().filter(s -> s.flag().equals(flag)).findFirst().orElse(null);
      if (setting == null) {
        problems.add("unknown option '" + arg + "'");
      } else if (flag.equals("--no-clickhouse")) {
        values.put(flag, "true");
      } else if (arg.contains("=")) {
        values.put(flag, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        values.put(flag, args[++i]);
      } else {
        problems.add("option " + flag + " needs a value");
      }
    }
    Function<String, Integer> port =
        flag -> {
          String raw = values.get(flag);
          try {
            int p = Integer.parseInt(raw.trim());
            if (p < 0 || p > 65535) {
              throw new NumberFormatException();
            }
            return p;
          } catch (NumberFormatException e) {
            Setting s =
                SETTINGS.stream().filter(x -> x.flag().equals(flag)).findFirst().orElseThrow();
            problems.add(flag + " (or " + s.env() + ") must be a port 0..65535, got '" + raw + "'");
            return 0;
          }
        };
    LocalStackConfig config =
        new LocalStackConfig(
            Path.of(values.get("--data-dir")).toAbsolutePath(),
            Path.of(values.get("--cache-dir")).toAbsolutePath(),
            port.apply("--kafka-port"),
            port.apply("--kafka-controller-port"),
            port.apply("--registry-port"),
            port.apply("--clickhouse-http-port"),
            port.apply("--clickhouse-tcp-port"),
            !Boolean.parseBoolean(values.get("--no-clickhouse")),
            districts(values.get("--analyst-districts"), problems),
            values.get("--kafka-bootstrap-servers").trim(),
            values.get("--registry-url").trim(),
            values.get("--clickhouse-url").trim());
    if (!config.externalClickhouse().isEmpty()
        && !config.externalClickhouse().startsWith("http://")
        && !config.externalClickhouse().startsWith("https://")) {
      problems.add(
          "--clickhouse-url (or CHORUS_EXTERNAL_CLICKHOUSE) must be an http:// or https:// URL, got '"
              + config.externalClickhouse()
              + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return config;
  }

  private static List<String> districts(String raw, List<String> problems) {
    List<String> districts = new ArrayList<>();
    for (String part : raw.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        dev.chorus.contracts.ReportingModel.districtAnalyst(part.trim());
        districts.add(part.trim());
      } catch (IllegalArgumentException e) {
        problems.add("--analyst-districts (or CHORUS_ANALYST_DISTRICTS): " + e.getMessage());
      }
    }
    return List.copyOf(districts);
  }

  /** Help text listing every setting. */
  public static String help() {
    StringBuilder s = new StringBuilder();
    for (Setting setting : SETTINGS) {
      s.append(
          String.format(
              "  %-26s %-30s %s (default %s)%n",
              setting.flag(), setting.env(), setting.doc(), setting.defaultValue()));
    }
    return s.toString();
  }
}

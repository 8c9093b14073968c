package dev.chorus.processor;

import dev.chorus.processor.suppression.SmallCellPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of the streams processor, in one typed place: defaults, environment-variable overrides,
 * validation that names the bad variable.
 */
public record ProcessorConfig(
    String kafkaBootstrapServers,
    String schemaRegistryUrl,
    String topicPrefix,
    String applicationId,
    Path stateDir,
    int kMin,
    int threads,
    Map<String, String> streamsOverrides) {

  /** Environment variables with this prefix set Kafka Streams properties directly. */
  public static final String STREAMS_PREFIX = "CHORUS_STREAMS_";

  /** One documented setting. */
  public record Setting(String env, String defaultValue, String doc) {}

  public static final List<Setting> SETTINGS =
      List.of(
          new Setting(
              "CHORUS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "Kafka bootstrap servers"),
          new Setting(
              "CHORUS_SCHEMA_REGISTRY_URL",
              "http://127.0.0.1:8081",
              "Confluent-compatible schema registry URL(s)"),
          new Setting("CHORUS_TOPIC_PREFIX", "chorus.", "prefix of every Chorus topic name"),
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
          new Setting("CHORUS_PROCESSOR_THREADS", "1", "stream threads"));

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every bad variable
   */
  public static ProcessorConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String[] v = new String[SETTINGS.size()];
    for (int i = 0; i < v.length; i++) {
      String value = env.get(SETTINGS.get(i).env());
      v[i] = value == null || value.isBlank() ? SETTINGS.get(i).defaultValue() : value.trim();
    }
    int kMin = number(SETTINGS.get(5), v[5], problems);
    if (kMin < SmallCellPolicy.K_MIN_FLOOR) {
      problems.add(
          "CHORUS_K_MIN must be at least "
              + SmallCellPolicy.K_MIN_FLOOR
              + " (domain spec §9), got "
              + v[5]);
    }
    int threads = number(SETTINGS.get(6), v[6], problems);
    if (threads < 1) {
      problems.add("CHORUS_PROCESSOR_THREADS must be at least 1");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid processor configuration:\n  - " + String.join("\n  - ", problems));
    }
    // CHORUS_STREAMS_CONSUMER_SESSION_TIMEOUT_MS=6000 -> consumer.session.timeout.ms=6000
    Map<String, String> overrides = new java.util.TreeMap<>();
    env.forEach(
        (key, value) -> {
          if (key.startsWith(STREAMS_PREFIX)) {
            overrides.put(
                key.substring(STREAMS_PREFIX.length())
                    .toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '.'),
                value);
          }
        });
    return new ProcessorConfig(
        v[0],
        v[1],
        v[2],
        v[3],
        Path.of(v[4]).toAbsolutePath(),
        kMin,
        threads,
        Map.copyOf(overrides));
  }

  private static int number(Setting setting, String value, List<String> problems) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      problems.add(setting.env() + " must be a whole number, got '" + value + "'");
      return -1;
    }
  }
}

package dev.chorus.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorConfigTest {

  @Test
  void defaultsAndStreamsOverrides() {
    ProcessorConfig config =
        ProcessorConfig.fromEnvironment(
            Map.of("CHORUS_K_MIN", "7", "CHORUS_STREAMS_COMMIT_INTERVAL_MS", "250"));
    assertThat(config.kMin()).isEqualTo(7);
    assertThat(config.applicationId()).isEqualTo("chorus-processor");
    assertThat(config.streamsOverrides()).containsEntry("commit.interval.ms", "250");
    assertThat(ProcessorApp.streamsProperties(config))
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("commit.interval.ms", "250")
        .containsEntry("producer.compression.type", "lz4")
        .containsEntry("rocksdb.config.setter", BoundedRocksDb.class)
        .containsEntry(BoundedRocksDb.TOTAL_BYTES_CONFIG, Long.toString(128L << 20));
  }

  @Test
  void kMinBelowTheFloorIsRefusedNamingTheVariable() {
    assertThatThrownBy(
            () ->
                ProcessorConfig.fromEnvironment(
                    Map.of("CHORUS_K_MIN", "2", "CHORUS_PROCESSOR_THREADS", "x")))
        .hasMessageContaining("CHORUS_K_MIN must be at least 3")
        .hasMessageContaining("CHORUS_PROCESSOR_THREADS must be a whole number");
  }

  @Test
  void windowsGraceGateAndIntervalAreParsedIntoTheTopologySettings() {
    ProcessorConfig config =
        ProcessorConfig.fromEnvironment(
            Map.of(
                "CHORUS_ROLLING_WINDOWS", "7, 28",
                "CHORUS_LATE_GRACE_DAYS", "3",
                "CHORUS_RESPONSE_GATE", "0.6",
                "CHORUS_EMIT_INTERVAL_MS", "250"));
    var settings = config.metricsSettings();
    assertThat(settings.aggregates().rollingWindowDays()).containsExactly(7, 28);
    assertThat(settings.aggregates().grace()).isEqualTo(java.time.Duration.ofDays(3));
    assertThat(settings.aggregates().responseGate()).isEqualTo(0.6);
    assertThat(settings.emitInterval()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(ProcessorConfig.fromEnvironment(Map.of()).responseGate())
        .as("no gate by default")
        .isNull();
  }

  @Test
  void everyBadSettingIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                ProcessorConfig.fromEnvironment(
                    Map.of(
                        "CHORUS_ROLLING_WINDOWS", "30,ninety",
                        "CHORUS_RESPONSE_GATE", "1.5",
                        "CHORUS_ROLLING_ITEM_DISTRIBUTIONS", "maybe",
                        "CHORUS_PROCESSOR_HTTP_PORT", "70000")))
        .hasMessageContaining("CHORUS_ROLLING_WINDOWS must list whole numbers of days")
        .hasMessageContaining("CHORUS_RESPONSE_GATE must be a rate in (0, 1]")
        .hasMessageContaining("CHORUS_ROLLING_ITEM_DISTRIBUTIONS must be true or false")
        .hasMessageContaining("CHORUS_PROCESSOR_HTTP_PORT must be a port");
  }

  @Test
  void everySettingIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "operators.md"));
    for (dev.chorus.config.EnvSettings.Setting setting : ProcessorConfig.SETTINGS) {
      assertThat(doc).contains("| `" + setting.env() + "` | `" + setting.defaultValue() + "` | ");
    }
  }

  @Test
  void warnsWhenTheSubmissionsTopicAndTheRepartitionTopicDifferInPartitions() {
    assertThat(ProcessorApp.partitionAdvice("chorus.submissions", 6, 6)).isEmpty();
    assertThat(ProcessorApp.partitionAdvice("chorus.submissions", 12, 6))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("chorus.submissions has 12 partitions")
                    .contains("CHORUS_PROCESSOR_PARTITIONS is 6"));
  }
}

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
        .containsEntry("commit.interval.ms", "250");
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
  void everySettingIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "operators.md"));
    for (ProcessorConfig.Setting setting : ProcessorConfig.SETTINGS) {
      assertThat(doc).contains("| `" + setting.env() + "` | `" + setting.defaultValue() + "` | ");
    }
  }
}

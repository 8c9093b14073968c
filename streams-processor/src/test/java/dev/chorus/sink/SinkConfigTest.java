package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.config.EnvSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

  @Test
  void defaults() {
    SinkConfig c = SinkConfig.fromEnvironment(Map.of());
    assertThat(c.batchRows()).isEqualTo(50_000);
    assertThat(c.batchMaxAge()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.clickhouseUser()).isEqualTo("chorus_writer");
    assertThat(c.deadLetterTopic()).isEqualTo("chorus.sink.dead-letter");
    assertThat(c.target()).isEqualTo(new Migrations.Target("chorus", "chorus_reporting", ""));
    assertThat(c.migrate()).isTrue();
  }

  @Test
  void namesEveryBadVariable() {
    assertThatThrownBy(
            () ->
                SinkConfig.fromEnvironment(
                    Map.of(
                        "CHORUS_SINK_BATCH_ROWS", "0",
                        "CHORUS_CLICKHOUSE_URL", "127.0.0.1:8123",
                        "CHORUS_CLICKHOUSE_CLUSTER", "a cluster; DROP",
                        "CHORUS_SINK_MIGRATE", "yes")))
        .hasMessageContaining("CHORUS_SINK_BATCH_ROWS must be at least 1")
        .hasMessageContaining("CHORUS_CLICKHOUSE_URL must be an http:// or https:// URL")
        .hasMessageContaining("CHORUS_CLICKHOUSE_CLUSTER must be a plain identifier")
        .hasMessageContaining("CHORUS_SINK_MIGRATE must be true or false");
  }

  @Test
  void everySettingIsDocumentedForOperators() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "operators.md"));
    for (EnvSettings.Setting setting : SinkConfig.SETTINGS) {
      assertThat(doc).contains("| `" + setting.env() + "` | `" + setting.defaultValue() + "` | ");
    }
  }
}

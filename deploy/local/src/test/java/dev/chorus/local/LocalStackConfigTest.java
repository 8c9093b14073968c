package dev.chorus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

  @Test
  void defaultsAreTheWellKnownPorts() {
    LocalStackConfig config = LocalStackConfig.parse(new String[0], Map.of());
    assertThat(config.kafkaPort()).isEqualTo(9092);
    assertThat(config.registryPort()).isEqualTo(8081);
    assertThat(config.clickhouseHttpPort()).isEqualTo(8123);
    assertThat(config.clickhouseTcpPort()).isEqualTo(9000);
    assertThat(config.clickhouse()).isTrue();
    assertThat(config.dataDir()).isEqualTo(Path.of(".chorus-data").toAbsolutePath());
  }

  @Test
  void flagsOverrideEnvironmentWhichOverridesDefaults() {
    LocalStackConfig config =
        LocalStackConfig.parse(
            new String[] {"--kafka-port", "19092", "--data-dir=/tmp/x", "--no-clickhouse"},
            Map.of("CHORUS_KAFKA_PORT", "29092", "CHORUS_REGISTRY_PORT", "18081"));
    assertThat(config.kafkaPort()).isEqualTo(19092);
    assertThat(config.registryPort()).isEqualTo(18081);
    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThat(config.clickhouse()).isFalse();
  }

  @Test
  void badValuesNameTheFlagAndVariable() {
    assertThatThrownBy(
            () ->
                LocalStackConfig.parse(
                    new String[] {"--registry-port", "eighty"},
                    Map.of("CHORUS_KAFKA_PORT", "70000")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--registry-port (or CHORUS_REGISTRY_PORT)")
        .hasMessageContaining("'eighty'")
        .hasMessageContaining("--kafka-port (or CHORUS_KAFKA_PORT)")
        .hasMessageContaining("'70000'");
  }

  @Test
  void unknownOptionIsReported() {
    assertThatThrownBy(() -> LocalStackConfig.parse(new String[] {"--kafak-port", "1"}, Map.of()))
        .hasMessageContaining("unknown option '--kafak-port'");
  }

  @Test
  void helpListsEverySetting() {
    String help = LocalStackConfig.help();
    for (LocalStackConfig.Setting setting : LocalStackConfig.SETTINGS) {
      assertThat(help).contains(setting.flag()).contains(setting.env());
    }
  }
}

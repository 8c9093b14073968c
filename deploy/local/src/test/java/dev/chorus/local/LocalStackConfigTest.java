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

  @Test
  void externalEndpointsReplaceLocalComponents() {
    LocalStackConfig c =
        LocalStackConfig.parse(
            new String[] {
              "--kafka-bootstrap-servers", "kafka:9092", "--clickhouse-url=https://ch:8443"
            },
            Map.of("CHORUS_EXTERNAL_REGISTRY", "http://registry:8081"));
    assertThat(c.externalKafka()).isEqualTo("kafka:9092");
    assertThat(c.externalRegistry()).isEqualTo("http://registry:8081");
    assertThat(c.externalClickhouse()).isEqualTo("https://ch:8443");
    assertThat(LocalStackConfig.parse(new String[0], Map.of()).externalKafka()).isEmpty();
    assertThatThrownBy(
            () -> LocalStackConfig.parse(new String[] {"--clickhouse-url", "ch:8123"}, Map.of()))
        .hasMessageContaining(
            "--clickhouse-url (or CHORUS_EXTERNAL_CLICKHOUSE) must be an http://");
  }
}

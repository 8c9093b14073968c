package dev.chorus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  @Test
  void readsConfluentKeys() {
    RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            Map.of(
                "schema.registry.url", "https://a.example:8081/, https://b.example:8081",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "chorus:secret",
                "schema.registry.request.timeout.ms", "2500"));
    assertThat(config.urls())
        .containsExactly(
            URI.create("https://a.example:8081"), URI.create("https://b.example:8081"));
    assertThat(config.userInfo()).isEqualTo("chorus:secret");
    assertThat(config.requestTimeout().toMillis()).isEqualTo(2500);
  }

  @Test
  void userInfoInUrlIsUsedForBasicAuth() {
    assertThat(RegistryClientConfig.of("http://u:p@localhost:8081").userInfo()).isEqualTo("u:p");
  }

  @Test
  void missingUrlNamesTheKey() {
    assertThatThrownBy(() -> RegistryClientConfig.fromProperties(Map.of()))
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void nonHttpUrlIsRejected() {
    assertThatThrownBy(() -> RegistryClientConfig.of("ftp://x"))
        .hasMessageContaining("http or https");
  }

  @Test
  void badNumberNamesTheKey() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    Map.of(
                        "schema.registry.url",
                        "http://x",
                        "schema.registry.request.timeout.ms",
                        "soon")))
        .hasMessageContaining("schema.registry.request.timeout.ms");
  }

  @Test
  void unreadableTruststoreNamesTheKeyAndPath() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    Map.of(
                        "schema.registry.url", "https://x",
                        "schema.registry.ssl.truststore.location", "/nonexistent/trust.p12")))
        .hasMessageContaining("schema.registry.ssl.truststore.location")
        .hasMessageContaining("/nonexistent/trust.p12");
  }

  @Test
  void unreachableRegistryErrorNamesUrlAndSubject() {
    SchemaRegistryClient client =
        new SchemaRegistryClient(
            RegistryClientConfig.fromProperties(
                Map.of(
                    "schema.registry.url",
                    "http://127.0.0.1:1",
                    "schema.registry.request.timeout.ms",
                    "1000")));
    assertThatThrownBy(() -> client.latest("surveys-value"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE))
        .hasMessageContaining("http://127.0.0.1:1")
        .hasMessageContaining("surveys-value")
        .hasMessageContaining("unreachable");
  }

  @Test
  void compatibilityLevelsParseAndDescribeThemselves() {
    assertThat(CompatibilityLevel.parse(" full_transitive "))
        .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.BACKWARD.checksBackward()).isTrue();
    assertThat(CompatibilityLevel.BACKWARD.checksForward()).isFalse();
    assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.transitive()).isTrue();
    assertThatThrownBy(() -> CompatibilityLevel.parse("sideways")).hasMessageContaining("sideways");
  }
}

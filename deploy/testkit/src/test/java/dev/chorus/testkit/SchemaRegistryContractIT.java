package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.registry.CompatibilityLevel;
import dev.chorus.registry.RegisteredSchema;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.registry.SchemaRegistryClient;
import dev.chorus.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * The Confluent REST API contract, exercised through Chorus's client against whichever registry the
 * stack runs (the embedded one locally, Confluent's in containers).
 */
@ChorusIntegrationTest
class SchemaRegistryContractIT {

  private final ChorusStack stack;
  private final SchemaRegistryClient client;

  SchemaRegistryContractIT(ChorusStack stack) {
    this.stack = stack;
    this.client = new SchemaRegistryClient(RegistryClientConfig.of(stack.schemaRegistryUrl()));
  }

  private static String subject() {
    return "contract-" + UUID.randomUUID() + "-value";
  }

  private static Schema v1() {
    return SchemaBuilder.record("Pulse")
        .namespace("contract")
        .fields()
        .requiredString("school")
        .endRecord();
  }

  private static Schema v2WithDefault() {
    return SchemaBuilder.record("Pulse")
        .namespace("contract")
        .fields()
        .requiredString("school")
        .name("mood")
        .type()
        .intType()
        .intDefault(3)
        .endRecord();
  }

  private static Schema v2WithoutDefault() {
    return SchemaBuilder.record("Pulse")
        .namespace("contract")
        .fields()
        .requiredString("school")
        .requiredInt("mood")
        .endRecord();
  }

  @Test
  void registerFetchAndLookUp() {
    String subject = subject();
    int id = client.register(subject, v1());

    assertThat(
            new SchemaRegistryClient(RegistryClientConfig.of(stack.schemaRegistryUrl()))
                .schemaById(id))
        .isEqualTo(v1());
    RegisteredSchema latest = client.latest(subject);
    assertThat(latest.version()).isEqualTo(1);
    assertThat(latest.id()).isEqualTo(id);
    assertThat(latest.schema()).isEqualTo(v1());
    assertThat(client.lookup(subject, v1()).id()).isEqualTo(id);
    assertThat(client.subjects()).contains(subject);
  }

  @Test
  void reRegisteringTheSameSchemaReturnsTheSameIdEvenUnderAnotherSubject() {
    String subject = subject();
    int id = client.register(subject, SurveySubmission.getClassSchema());
    SchemaRegistryClient fresh =
        new SchemaRegistryClient(RegistryClientConfig.of(stack.schemaRegistryUrl()));

    assertThat(fresh.register(subject, SurveySubmission.getClassSchema())).isEqualTo(id);
    assertThat(fresh.register(subject(), SurveySubmission.getClassSchema())).isEqualTo(id);
    assertThat(fresh.version(subject, "latest").version()).isEqualTo(1);
  }

  @Test
  void backwardIsTheDefaultAndIsEnforced() {
    String subject = subject();
    assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    client.register(subject, v1());

    assertThat(client.isCompatible(subject, v2WithDefault())).isTrue();
    assertThat(client.isCompatible(subject, v2WithoutDefault())).isFalse();
    assertThatThrownBy(() -> client.register(subject, v2WithoutDefault()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            })
        .hasMessageContaining(stack.schemaRegistryUrl())
        .hasMessageContaining(subject);

    int v2 = client.register(subject, v2WithDefault());
    assertThat(client.latest(subject).id()).isEqualTo(v2);
    assertThat(client.version(subject, "2").schema()).isEqualTo(v2WithDefault());
  }

  @Test
  void subjectLevelCompatibilityOverridesTheGlobalOne() {
    String subject = subject();
    client.register(subject, v1());
    client.setCompatibility(subject, CompatibilityLevel.NONE);
    assertThat(client.register(subject, v2WithoutDefault())).isPositive();
  }

  @Test
  void unknownThingsGiveConfluentErrorCodes() {
    assertThatThrownBy(() -> client.latest(subject()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    assertThatThrownBy(() -> client.schemaById(987_654))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND))
        .hasMessageContaining("987654");
    String subject = subject();
    client.register(subject, v1());
    assertThatThrownBy(() -> client.version(subject, "7"))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
    assertThatThrownBy(() -> client.lookup(subject, v2WithDefault()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
  }

  @Test
  void rawApiSpeaksConfluentJson() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String subject = subject();
    HttpResponse<String> invalid =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(stack.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", SchemaRegistryClient.CONTENT_TYPE)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"schema\": \"{\\\"type\\\": \\\"recrd\\\"}\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body()).contains("\"error_code\":42201");

    HttpResponse<String> config =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/config")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");

    HttpResponse<String> unconfigured =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.schemaRegistryUrl() + "/config/" + subject))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unconfigured.statusCode()).isEqualTo(404);
    assertThat(unconfigured.body()).contains("40408");
  }

  @Test
  void idsSurviveARegistryRestart() {
    assumeTrue(stack.supportsRestarts(), "restarts are simulated with the local stack");
    String subject = subject();
    int first = client.register(subject, v1());
    int second = client.register(subject, v2WithDefault());

    stack.restartSchemaRegistry();

    SchemaRegistryClient afterRestart =
        new SchemaRegistryClient(RegistryClientConfig.of(stack.schemaRegistryUrl()));
    assertThat(afterRestart.schemaById(first)).isEqualTo(v1());
    assertThat(afterRestart.schemaById(second)).isEqualTo(v2WithDefault());
    assertThat(afterRestart.register(subject, v1())).isEqualTo(first);
    assertThat(afterRestart.latest(subject).version()).isEqualTo(2);
    Schema brandNew = SchemaBuilder.record("AfterRestart").fields().requiredLong("x").endRecord();
    assertThat(afterRestart.register(subject(), brandNew)).isGreaterThan(Math.max(first, second));
  }
}

package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.Roster;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.serde.AvroSerde;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** JSON submissions, directory endpoints, health and metrics over real HTTP and Kafka. */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmissionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ChorusStack stack;
  private IngestFixture ingest;
  private String prefix;

  @BeforeAll
  void start(ChorusStack stack, @TempDir Path dir) {
    this.stack = stack;
    this.prefix = "j" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.ingest = new IngestFixture(stack, dir, prefix, Map.of());
    ingest.schools(IngestFixture.NORTH, IngestFixture.NORTH_ADMIN, "s1", "s2");
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private static String submission(String respondent, int answer) {
    return """
        {"school_id": "s1", "cycle": "2026-fall", "respondent_id": "%s", "role": "TEACHER",
         "submitted_at": "2026-10-01T10:00:00Z", "cohort_tags": ["pilot-team"],
         "answers": {"vision_strategy_1": %d, "burnout_risk": "Disagree"},
         "influence": {"budget_resources": {"teachers": 2, "administrators": "A great deal"}},
         "reflection": {"shaped_by": ["administrators"], "implemented_by": ["teachers"]}}
        """
        .formatted(respondent, answer);
  }

  @Test
  void singleValidSubmissionIsAcceptedAfterAcknowledgement() throws Exception {
    HttpResponse<String> response =
        ingest.send(
            "POST",
            "/v1/districts/north/submissions",
            IngestFixture.NORTH_SUBMIT,
            "application/json",
            submission("a@x.org", 4));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode result = JSON.readTree(response.body());
    assertThat(result.get("accepted").asInt()).isEqualTo(1);
    assertThat(result.get("items").get(0).get("status").asText()).isEqualTo("accepted");
    assertThat(result.get("items").get(0).get("submission_id").asText()).startsWith("api-");
  }

  @Test
  void singleInvalidSubmissionIs422WithPointers() throws Exception {
    String bad = submission("b@x.org", 9).replace("\"TEACHER\"", "\"ASTRONAUT\"");
    HttpResponse<String> response =
        ingest.send(
            "POST",
            "/v1/districts/north/submissions",
            IngestFixture.NORTH_SUBMIT,
            "application/json",
            bad);
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("errors").findValuesAsText("pointer"))
        .contains("/answers/vision_strategy_1", "/role");
    assertThat(problem.get("errors").findValuesAsText("code"))
        .contains("ANSWER_OUT_OF_SCALE", "UNKNOWN_ROLE");
  }

  @Test
  void arraysAndNdjsonGiveAResultPerItem() throws Exception {
    String array =
        "[" + submission("c@x.org", 3) + "," + submission("d@x.org", 0) + ", {\"nonsense\": true}]";
    HttpResponse<String> response =
        ingest.send(
            "POST",
            "/v1/districts/north/submissions",
            IngestFixture.NORTH_SUBMIT,
            "application/json",
            array);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode result = JSON.readTree(response.body());
    assertThat(result.get("received").asInt()).isEqualTo(3);
    assertThat(result.get("accepted").asInt()).isEqualTo(1);
    assertThat(result.get("items").findValuesAsText("status"))
        .containsExactly("accepted", "rejected", "rejected");

    String ndjson =
        submission("e@x.org", 5).replace("\n", " ")
            + "\n\n{not json\n"
            + submission("f@x.org", 2).replace("\n", " ")
            + "\n";
    HttpResponse<String> nd =
        ingest.send(
            "POST",
            "/v1/districts/north/submissions",
            IngestFixture.NORTH_SUBMIT,
            "application/x-ndjson",
            ndjson);
    JsonNode ndResult = JSON.readTree(nd.body());
    assertThat(ndResult.get("received").asInt()).isEqualTo(3);
    assertThat(ndResult.get("accepted").asInt()).isEqualTo(2);
    assertThat(ndResult.get("items").get(1).get("reasons").get(0).get("code").asText())
        .isEqualTo("MALFORMED");
  }

  @Test
  void aRetriedSubmissionKeepsItsId() throws Exception {
    String body = submission("g@x.org", 4);
    String first =
        JSON.readTree(
                ingest
                    .send(
                        "POST",
                        "/v1/districts/north/submissions",
                        IngestFixture.NORTH_SUBMIT,
                        "application/json",
                        body)
                    .body())
            .get("items")
            .get(0)
            .get("submission_id")
            .asText();
    String reordered =
        body.replace("\"cycle\": \"2026-fall\", ", "")
            .replace("{\"school_id\"", "{\"cycle\": \"2026-fall\", \"school_id\"");
    String second =
        JSON.readTree(
                ingest
                    .send(
                        "POST",
                        "/v1/districts/north/submissions",
                        IngestFixture.NORTH_SUBMIT,
                        "application/json",
                        reordered)
                    .body())
            .get("items")
            .get(0)
            .get("submission_id")
            .asText();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void malformedBodiesAndWrongTypes() {
    String path = "/v1/districts/north/submissions";
    String token = IngestFixture.NORTH_SUBMIT;
    assertThat(ingest.status("POST", path, token, "application/json", "{oops")).isEqualTo(400);
    assertThat(ingest.status("POST", path, token, "application/json", "42")).isEqualTo(400);
    assertThat(ingest.status("POST", path, token, "text/csv", "a")).isEqualTo(415);
    assertThat(
            ingest.status(
                "POST", "/v1/districts/south/submissions", token, "application/json", "{}"))
        .isEqualTo(403);
    assertThat(
            ingest.status(
                "POST", "/v1/districts/nowhere/submissions", token, "application/json", "{}"))
        .isEqualTo(403);
    assertThat(ingest.status("POST", path, "wrong-token", "application/json", "{}")).isEqualTo(401);
    assertThat(
            ingest.status(
                "DELETE", "/v1/districts/north/schools", IngestFixture.NORTH_ADMIN, null, null))
        .isIn(404, 405);
  }

  @Test
  void instrumentsArePublishedVersionedAndImmutable() throws Exception {
    String definition =
        new String(
                InstrumentLoader.toJson(InstrumentLoader.defaultInstrument()),
                StandardCharsets.UTF_8)
            .replace("\"collective-leadership\"", "\"north-pulse\"");
    String path = "/v1/districts/north/instruments/north-pulse/versions/1";
    assertThat(
            ingest
                .send("PUT", path, IngestFixture.NORTH_SUBMIT, "application/json", definition)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            ingest
                .send("PUT", path, IngestFixture.NORTH_ADMIN, "application/json", definition)
                .statusCode())
        .isEqualTo(201);
    assertThat(
            ingest
                .send("PUT", path, IngestFixture.NORTH_ADMIN, "application/json", definition)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            ingest
                .send(
                    "PUT",
                    path,
                    IngestFixture.NORTH_ADMIN,
                    "application/json",
                    definition.replace("Collective Leadership Survey", "Changed"))
                .statusCode())
        .isEqualTo(409);
    HttpResponse<String> invalid =
        ingest.send(
            "PUT",
            "/v1/districts/north/instruments/north-pulse/versions/2",
            IngestFixture.NORTH_ADMIN,
            "application/json",
            definition
                .replace("\"version\" : 1", "\"version\" : 2")
                .replace("\"max\" : 5", "\"max\" : 0"));
    assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
    assertThat(JSON.readTree(invalid.body()).get("errors")).isNotEmpty();
    assertThat(
            JSON.readTree(ingest.send("GET", path, IngestFixture.NORTH_SUBMIT, null, null).body())
                .get("id")
                .asText())
        .isEqualTo("north-pulse");
    assertThat(
            ingest
                .send(
                    "GET",
                    "/v1/districts/south/instruments/north-pulse/versions/1",
                    IngestFixture.SOUTH_ADMIN,
                    null,
                    null)
                .statusCode())
        .isEqualTo(404);

    AvroSerde<InstrumentDefinition> serde =
        AvroSerde.specific(InstrumentDefinition.class).configured(stack.serdeProperties(), false);
    List<String> keys = new ArrayList<>();
    List<InstrumentDefinition> values = new ArrayList<>();
    consume(
        prefix + "instruments",
        2,
        (k, v) -> {
          keys.add(k);
          values.add(serde.deserializer().deserialize(prefix + "instruments", v));
        });
    assertThat(keys).contains("*/collective-leadership/1", "north/north-pulse/1");
    assertThat(values).anySatisfy(v -> assertThat(v.getDistrictId()).isEqualTo("north"));
  }

  @Test
  void rostersAndSchoolsRoundTrip() throws Exception {
    String roster =
        "{\"schools\": {\"s1\": {\"TEACHER\": 30, \"Principal\": 2}, \"s2\": {\"PARAPROFESSIONAL\": 7}}}";
    HttpResponse<String> put =
        ingest.send(
            "PUT",
            "/v1/districts/north/rosters/2026-fall",
            IngestFixture.NORTH_ADMIN,
            "application/json",
            roster);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    JsonNode got =
        JSON.readTree(
            ingest
                .send(
                    "GET",
                    "/v1/districts/north/rosters/2026-fall",
                    IngestFixture.NORTH_SUBMIT,
                    null,
                    null)
                .body());
    assertThat(got.get("schools").get("s1").get("ADMINISTRATOR").asInt()).isEqualTo(2);
    HttpResponse<String> unknown =
        ingest.send(
            "PUT",
            "/v1/districts/north/rosters/2026-fall",
            IngestFixture.NORTH_ADMIN,
            "application/json",
            "{\"schools\": {\"s404\": {\"TEACHER\": 3}, \"s1\": {\"TEACHER\": -1}}}");
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(unknown.body()).get("errors").findValuesAsText("code"))
        .containsExactlyInAnyOrder("UNKNOWN_SCHOOL", "MALFORMED");
    assertThat(
            JSON.readTree(
                    ingest
                        .send(
                            "GET",
                            "/v1/districts/north/schools",
                            IngestFixture.NORTH_SUBMIT,
                            null,
                            null)
                        .body())
                .get("schools"))
        .hasSize(2);
    assertThat(
            ingest
                .send("GET", "/v1/districts/south/schools", IngestFixture.SOUTH_ADMIN, null, null)
                .statusCode())
        .isEqualTo(404);

    AvroSerde<Roster> serde =
        AvroSerde.specific(Roster.class).configured(stack.serdeProperties(), false);
    List<Roster> rosters = new ArrayList<>();
    consume(
        prefix + "rosters",
        2,
        (k, v) -> rosters.add(serde.deserializer().deserialize(prefix + "rosters", v)));
    assertThat(rosters).extracting(Roster::getSchoolId).contains("s1", "s2");
  }

  @Test
  void districtMappingsCanBeRegistered() throws Exception {
    String mapping =
        """
        {"id": "north-sheet", "description": "our sheet", "header_rows": 1, "names_row": 1,
         "school_column": "Building", "respondent_column": null, "role_column": "Position",
         "timestamp_column": "When", "cohort_column": null, "submission_id_column": null,
         "item_match": "BY_ID", "columns": {"Q1": "item:vision_strategy_1"}, "ignore_columns": [], "list_separators": ";"}
        """;
    assertThat(
            ingest
                .send(
                    "PUT",
                    "/v1/districts/north/mappings/north-sheet",
                    IngestFixture.NORTH_ADMIN,
                    "application/json",
                    mapping)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> upload =
        ingest.send(
            "POST",
            "/v1/districts/north/uploads?cycle=2026-m&mapping=north-sheet",
            IngestFixture.NORTH_SUBMIT,
            "text/csv",
            "Building,Position,When,Q1\ns1,Teacher,2026-10-01,Agree\n");
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    assertThat(JSON.readTree(upload.body()).get("accepted").asInt()).isEqualTo(1);
    assertThat(
            JSON.readTree(
                    ingest
                        .send(
                            "GET",
                            "/v1/districts/north/mappings",
                            IngestFixture.NORTH_SUBMIT,
                            null,
                            null)
                        .body())
                .get("mappings")
                .findValuesAsText("id"))
        .contains("generic", "google-forms", "qualtrics", "north-sheet");
  }

  @Test
  void healthAndMetrics() throws Exception {
    assertThat(ingest.send("GET", "/health/live", null, null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = ingest.send("GET", "/health/ready", null, null, null);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(JSON.readTree(ready.body()).get("checks").get("kafka").asText()).isEqualTo("UP");
    ingest.send(
        "POST",
        "/v1/districts/north/submissions",
        IngestFixture.NORTH_SUBMIT,
        "application/json",
        submission("m@x.org", 4));
    String metrics = ingest.send("GET", "/metrics", null, null, null).body();
    assertThat(metrics)
        .contains("chorus_ingest_rows_total{outcome=\"accepted\",reason=\"NONE\"}")
        .contains("chorus_http_requests_seconds_count")
        .contains("jvm_memory_used_bytes");
  }

  private void consume(
      String topic, int atLeast, java.util.function.BiConsumer<String, byte[]> sink) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    int[] seen = {0};
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && seen[0] < atLeast) {
        consumer
            .poll(Duration.ofMillis(300))
            .forEach(
                r -> {
                  seen[0]++;
                  sink.accept(r.key(), r.value());
                });
      }
    }
  }
}

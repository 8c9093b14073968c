package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.RejectedSubmission;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.ingest.validation.Pseudonymizer;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** CSV uploads through HTTP to Kafka and back through the registry. */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Generic export: BOM, CRLF, a quoted comma and newline, and one row per rejection reason. */
  static final String GENERIC =
      "\uFEFFsubmission_id,school_id,respondent_id,role,submitted_at,vision_strategy_1,trust_respect_5,influence.budget_resources.teachers,reflection.shaped_by,Notes\r\n"
          + ",s1,jane@north.example,Teacher,2026-10-01T10:00:00Z,5,Strongly disagree,A little,\"Administrators, Teachers\",\"line one\nline two, with comma\"\r\n"
          + ",s2,BOB@north.example,Principal,10/2/2026 9:14:05,4,2,4,administrators,\r\n"
          + ",s1,,Paraprofessional,2026-10-03 08:00:00,3,,,,anonymous\r\n"
          + ",s9,carl@north.example,Teacher,2026-10-01T10:00:00Z,5,4,,,\r\n"
          + ",s1,dana@north.example,Teacher,2026-10-01T10:00:00Z,7,4,,,\r\n"
          + ",s1,erin@north.example,Janitor,yesterday,4,4,,,\r\n"
          + ",s1,fay@north.example,Teacher,2026-10-01T10:00:00Z,=HYPERLINK(\"x\"),4,,,\r\n";

  private ChorusStack stack;
  private IngestFixture ingest;
  private String prefix;

  @BeforeAll
  void start(ChorusStack stack, @TempDir Path dir) {
    this.stack = stack;
    this.prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
    this.ingest = new IngestFixture(stack, dir, prefix, Map.of());
    ingest.schools(IngestFixture.NORTH, IngestFixture.NORTH_ADMIN, "s1", "s2");
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private HttpResponse<String> upload(String csv, String query, String token) {
    return ingest.send("POST", "/v1/districts/north/uploads?" + query, token, "text/csv", csv);
  }

  @Test
  void receiptIsExactAndKafkaHoldsExactlyTheAcceptedRows() throws Exception {
    HttpResponse<String> response = upload(GENERIC, "cycle=2026-fall", IngestFixture.NORTH_SUBMIT);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode receipt = JSON.readTree(response.body());
    assertThat(receipt.get("rows_read").asLong()).isEqualTo(7);
    assertThat(receipt.get("accepted").asLong()).isEqualTo(3);
    assertThat(receipt.get("rejected").asLong()).isEqualTo(4);
    assertThat(receipt.get("status").asText()).isEqualTo("complete");
    assertThat(receipt.get("ignored_columns"))
        .extracting(JsonNode::asText)
        .containsExactly("Notes");
    Map<Long, String> codes = new java.util.TreeMap<>();
    receipt
        .get("rejections")
        .forEach(
            r -> codes.put(r.get("row").asLong(), r.get("reasons").get(0).get("code").asText()));
    assertThat(codes)
        .containsExactly(
            Map.entry(4L, "UNKNOWN_SCHOOL"),
            Map.entry(5L, "ANSWER_OUT_OF_SCALE"),
            Map.entry(6L, "INVALID_TIMESTAMP"),
            Map.entry(7L, "UNRECOGNIZED_ANSWER"));
    JsonNode row6 = receipt.get("rejections").get(2);
    assertThat(row6.get("reasons")).hasSize(2);
    assertThat(row6.get("reasons").findValuesAsText("code"))
        .containsExactlyInAnyOrder("INVALID_TIMESTAMP", "UNKNOWN_ROLE");
    assertThat(receipt.get("rejections").get(1).get("reasons").get(0).get("column").asText())
        .isEqualTo("vision_strategy_1");

    List<ConsumerRecord<String, byte[]>> raw = consume(prefix + "submissions", 3);
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(stack.serdeProperties(), false);
    List<SurveySubmission> submissions =
        raw.stream().map(r -> serde.deserializer().deserialize(r.topic(), r.value())).toList();
    assertThat(raw).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("s1", "s2", "s1");
    String janeKey =
        new Pseudonymizer(IngestFixture.NORTH_SECRET.getBytes(StandardCharsets.UTF_8))
            .respondentKey("jane@north.example");
    SurveySubmission jane =
        submissions.stream()
            .filter(s -> janeKey.equals(s.getRespondentKey()))
            .findFirst()
            .orElseThrow();
    assertThat(jane.getAnswers())
        .containsEntry("vision_strategy_1", 5)
        .containsEntry("trust_respect_5", 1);
    assertThat(jane.getInfluence())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getDecisionArea()).isEqualTo("budget_resources");
              assertThat(i.getGroup()).isEqualTo("teachers");
              assertThat(i.getRating()).isEqualTo(2);
            });
    assertThat(jane.getReflection().getShapedBy()).containsExactly("administrators", "teachers");
    assertThat(jane.getSource().getUploadId()).isEqualTo(receipt.get("upload_id").asText());
    SurveySubmission bob =
        submissions.stream().filter(s -> s.getSchoolId().equals("s2")).findFirst().orElseThrow();
    assertThat(bob.getRole().name()).isEqualTo("ADMINISTRATOR");
    assertThat(bob.getSubmittedAt()).isEqualTo(java.time.Instant.parse("2026-10-02T14:14:05Z"));
    assertThat(submissions).filteredOn(s -> s.getRespondentKey() == null).hasSize(1);

    List<ConsumerRecord<String, byte[]>> dead = consume(prefix + "submissions.rejected", 4);
    for (ConsumerRecord<String, byte[]> record : raw) {
      assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
          .doesNotContainIgnoringCase("@north.example");
    }
    AvroSerde<RejectedSubmission> deadSerde =
        AvroSerde.specific(RejectedSubmission.class).configured(stack.serdeProperties(), false);
    for (ConsumerRecord<String, byte[]> record : dead) {
      assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
          .doesNotContainIgnoringCase("@north.example");
      RejectedSubmission letter =
          deadSerde.deserializer().deserialize(record.topic(), record.value());
      assertThat(letter.getReasons()).isNotEmpty();
      assertThat(letter.getRawContent()).doesNotContainKey("Notes");
      assertThat(letter.getRawContent().get("respondent_id")).startsWith("respondent_key:");
      if (letter.getSource().getRowNumber() == 7) {
        assertThat(letter.getRawContent().get("vision_strategy_1")).startsWith("'=HYPERLINK");
      }
    }

    HttpResponse<String> again =
        ingest.send(
            "GET",
            "/v1/uploads/" + receipt.get("upload_id").asText(),
            IngestFixture.NORTH_SUBMIT,
            null,
            null);
    assertThat(JSON.readTree(again.body()).get("accepted").asLong()).isEqualTo(3);
    HttpResponse<String> page =
        ingest.send(
            "GET",
            "/v1/uploads/" + receipt.get("upload_id").asText() + "/rejections?offset=1&limit=2",
            IngestFixture.NORTH_SUBMIT,
            null,
            null);
    assertThat(JSON.readTree(page.body()).get("rejections")).hasSize(2);
    assertThat(JSON.readTree(page.body()).get("rejections").get(0).get("row").asLong())
        .isEqualTo(5);
  }

  @Test
  void reUploadingTheSameExportYieldsTheSameSubmissionIds() throws Exception {
    String csv = GENERIC.replace("2026-10-0", "2026-09-0");
    JsonNode first =
        JSON.readTree(upload(csv, "cycle=2026-dup", IngestFixture.NORTH_SUBMIT).body());
    JsonNode second =
        JSON.readTree(upload(csv, "cycle=2026-dup", IngestFixture.NORTH_SUBMIT).body());
    assertThat(first.get("upload_id")).isNotEqualTo(second.get("upload_id"));
    List<String> firstIds = new ArrayList<>();
    first.get("rejections").forEach(r -> firstIds.add(r.get("submission_id").asText()));
    List<String> secondIds = new ArrayList<>();
    second.get("rejections").forEach(r -> secondIds.add(r.get("submission_id").asText()));
    assertThat(firstIds).isEqualTo(secondIds).doesNotContainNull();
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(stack.serdeProperties(), false);
    List<String> produced =
        consume(prefix + "submissions", 0).stream()
            .map(r -> serde.deserializer().deserialize(r.topic(), r.value()))
            .filter(s -> s.getCycle().equals("2026-dup"))
            .map(SurveySubmission::getSubmissionId)
            .toList();
    assertThat(produced).hasSize(6);
    assertThat(new java.util.HashSet<>(produced)).hasSize(3);
  }

  @Test
  void googleFormsAndQualtricsLayouts() throws Exception {
    String google =
        "Timestamp,Email Address,School,Role,Staff in every role can explain why this school exists and where it is headed.,"
            + "How much influence does each group have over Budget and resources? [Teachers],Who shaped this decision?,Score\n"
            + "10/5/2026 14:03:11,g1@north.example,s1,Teacher,Agree,Some,Administrators;Teachers,\n"
            + "10/5/2026 14:05:00,g2@north.example,s2,Counselor,strongly   AGREE ,None,,\n";
    HttpResponse<String> g =
        upload(google, "cycle=2026-google&mapping=google-forms", IngestFixture.NORTH_SUBMIT);
    assertThat(g.statusCode()).as(g.body()).isEqualTo(200);
    assertThat(JSON.readTree(g.body()).get("accepted").asLong()).as(g.body()).isEqualTo(2);

    String qualtrics =
        "StartDate,EndDate,Status,IPAddress,RecordedDate,ResponseId,RecipientEmail,RecipientFirstName,school,role,vision_strategy_1,shared_influence_2\n"
            + "Start Date,End Date,Response Type,IP Address,Recorded Date,Response ID,Recipient Email,First Name,school,role,Q1 text,Q2 text\n"
            + "{\"ImportId\":\"startDate\"},{\"ImportId\":\"endDate\"},{},{},{},{},{},{},{},{},{},{}\n"
            + "2026-10-06 08:00:00,2026-10-06 08:05:00,0,10.1.2.3,2026-10-06 08:05:00,R_abc123,q1@north.example,Quinn,s1,Teacher,Agree,5\n";
    HttpResponse<String> q =
        upload(qualtrics, "cycle=2026-q&mapping=qualtrics", IngestFixture.NORTH_SUBMIT);
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    JsonNode receipt = JSON.readTree(q.body());
    assertThat(receipt.get("accepted").asLong()).as(q.body()).isEqualTo(1);
    assertThat(receipt.get("ignored_columns"))
        .extracting(JsonNode::asText)
        .contains("IPAddress", "RecipientFirstName");
  }

  @Test
  void requestErrorsAreProblemDetails() throws Exception {
    assertThat(upload(GENERIC, "cycle=x", null).statusCode()).isEqualTo(401);
    HttpResponse<String> foreign = upload(GENERIC, "cycle=x", IngestFixture.SOUTH_ADMIN);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(
            ingest
                .send(
                    "POST",
                    "/v1/districts/north/uploads?cycle=x",
                    IngestFixture.NORTH_SUBMIT,
                    "application/pdf",
                    "x")
                .statusCode())
        .isEqualTo(415);
    HttpResponse<String> noCycle = upload(GENERIC, "", IngestFixture.NORTH_SUBMIT);
    assertThat(noCycle.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noCycle.body()).get("errors").get(0).get("pointer").asText())
        .isEqualTo("cycle");
    assertThat(upload(GENERIC, "cycle=x&mapping=nope", IngestFixture.NORTH_SUBMIT).statusCode())
        .isEqualTo(422);
    HttpResponse<String> badHeader = upload("a,b\n1,2\n", "cycle=x", IngestFixture.NORTH_SUBMIT);
    assertThat(badHeader.statusCode()).isEqualTo(422);
    assertThat(badHeader.body()).contains("expects a column 'school_id'");
    assertThat(upload("", "cycle=x", IngestFixture.NORTH_SUBMIT).statusCode()).isEqualTo(422);
    String uploadId =
        JSON.readTree(upload(GENERIC, "cycle=2026-x", IngestFixture.NORTH_SUBMIT).body())
            .get("upload_id")
            .asText();
    assertThat(
            ingest
                .send("GET", "/v1/uploads/" + uploadId, IngestFixture.SOUTH_ADMIN, null, null)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            ingest.send("GET", "/v1/nothing", IngestFixture.NORTH_SUBMIT, null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void idempotencyKeyReplaysTheOriginalResponse() throws Exception {
    Map<String, String> key = Map.of("Idempotency-Key", "upload-" + UUID.randomUUID());
    HttpResponse<String> first =
        ingest.send(
            "POST",
            "/v1/districts/north/uploads?cycle=2026-idem",
            IngestFixture.NORTH_SUBMIT,
            "text/csv",
            GENERIC,
            key);
    HttpResponse<String> second =
        ingest.send(
            "POST",
            "/v1/districts/north/uploads?cycle=2026-idem",
            IngestFixture.NORTH_SUBMIT,
            "text/csv",
            GENERIC,
            key);
    assertThat(second.statusCode()).isEqualTo(first.statusCode());
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("Idempotent-Replayed")).contains("true");
    HttpResponse<String> different =
        ingest.send(
            "POST",
            "/v1/districts/north/uploads?cycle=2026-other",
            IngestFixture.NORTH_SUBMIT,
            "text/csv",
            GENERIC,
            key);
    assertThat(different.statusCode()).isEqualTo(409);
  }

  @Test
  void uploadCommandPrintsTheReceiptAndSetsTheExitCode(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("export.csv");
    java.nio.file.Files.writeString(file, GENERIC);
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    var command =
        new dev.chorus.ingest.cli.UploadCommand(
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of(
                "CHORUS_TOKEN", IngestFixture.NORTH_SUBMIT, "CHORUS_INGEST_URL", ingest.url("")));
    String[] args = {file.toString(), "--district", "north", "--cycle", "2026-cli"};

    assertThat(command.run(args)).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("rows read 7", "accepted 3", "rejected 4", "UNKNOWN_SCHOOL");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("4 row(s) rejected");

    String[] tolerant =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args), java.util.stream.Stream.of("--max-rejected", "4"))
            .toArray(String[]::new);
    assertThat(command.run(tolerant)).isZero();
    String[] wrongToken =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args), java.util.stream.Stream.of("--token", "nope"))
            .toArray(String[]::new);
    assertThat(command.run(wrongToken)).isEqualTo(3);
    assertThat(command.run(new String[] {file.toString(), "--cycle", "x"})).isEqualTo(2);
  }

  private List<ConsumerRecord<String, byte[]>> consume(String topic, int atLeast) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(atLeast == 0 ? 5 : 30).toNanos();
      while (System.nanoTime() < deadline && (atLeast == 0 || records.size() < atLeast)) {
        consumer.poll(Duration.ofMillis(300)).forEach(records::add);
      }
    }
    return records;
  }
}

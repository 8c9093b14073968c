package dev.chorus.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.Role;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.registry.InMemorySchemaRegistry;
import dev.chorus.registry.RegistryClientConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  static SurveySubmission submission(String id, Map<String, Integer> answers) {
    return SurveySubmission.newBuilder()
        .setSubmissionId(id)
        .setDistrictId("d1")
        .setSchoolId("s1")
        .setCycle("2026-fall")
        .setInstrumentId("collective-leadership")
        .setInstrumentVersion(1)
        .setRespondentKey("ab12")
        .setRole(Role.TEACHER)
        .setSubmittedAt(Instant.parse("2026-10-01T12:00:00Z"))
        .setReceivedAt(Instant.parse("2026-10-02T08:00:00.123Z"))
        .setAnswers(answers)
        .setInfluence(List.of(new InfluenceRating("budget_resources", "teachers", 2)))
        .setReflection(
            DecisionReflection.newBuilder()
                .setShapedBy(List.of("administrators"))
                .setImplementedBy(List.of("teachers"))
                .build())
        .setSource(new SubmissionSource(SourceChannel.UPLOAD, "u-1", 7L, "generic"))
        .build();
  }

  private static Map<String, Object> props(String scope) {
    InMemorySchemaRegistry.dropScope(scope);
    return Map.of(RegistryClientConfig.URL, scope);
  }

  @Test
  void specificRecordRoundTripsAndRegistersUnderTopicValueSubject() {
    Map<String, Object> props = props("mock://specific");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props, false);
    SurveySubmission original = submission("sub-1", Map.of("trust_respect_1", 4));

    byte[] bytes = serde.serializer().serialize("submissions", original);

    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(serde.deserializer().deserialize("submissions", bytes)).isEqualTo(original);
    assertThat(InMemorySchemaRegistry.scope("mock://specific").latest("submissions-value").schema())
        .isEqualTo(SurveySubmission.getClassSchema());
  }

  @Test
  void keySerdeUsesKeySubject() {
    Map<String, Object> props = props("mock://keys");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props, true);
    serde.serializer().serialize("t", submission("k", Map.of()));
    assertThat(InMemorySchemaRegistry.scope("mock://keys").latest("t-key").version()).isEqualTo(1);
  }

  @Test
  void genericReaderReadsSpecificWriter() {
    Map<String, Object> props = props("mock://generic");
    byte[] bytes =
        AvroSerde.specific(SurveySubmission.class)
            .configured(props, false)
            .serializer()
            .serialize("t", submission("g", Map.of("vision_strategy_1", 5)));
    GenericRecord read =
        AvroSerde.generic().configured(props, false).deserializer().deserialize("t", bytes);
    assertThat(read.get("submission_id").toString()).isEqualTo("g");
    assertThat(read.get("role").toString()).isEqualTo("TEACHER");
  }

  @Test
  void nullStaysNull() {
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props("mock://null"), false);
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).isNull();
  }

  @Test
  void bytesNotInWireFormatGiveAClearError() {
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props("mock://bad"), false);
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("orders", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("magic byte");
    assertThatThrownBy(() -> serde.deserializer().deserialize("orders", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("fewer than the 5-byte");
  }

  @Test
  void unknownSchemaIdNamesTopicAndId() {
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props("mock://unknown"), false);
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("events", new byte[] {0, 0, 0, 0, 99, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("events")
        .hasMessageContaining("99");
  }

  @Test
  void truncatedPayloadIsASerializationException() {
    Map<String, Object> props = props("mock://truncated");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props, false);
    byte[] bytes = serde.serializer().serialize("t", submission("x", Map.of()));
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("does not decode");
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaFailsNamingTheSubject() {
    Map<String, Object> props = new java.util.HashMap<>(props("mock://noauto"));
    props.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props, false);
    assertThatThrownBy(() -> serde.serializer().serialize("subs", submission("x", Map.of())))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("subs-value");

    InMemorySchemaRegistry.scope("mock://noauto")
        .register("subs-value", SurveySubmission.getClassSchema());
    assertThat(serde.serializer().serialize("subs", submission("x", Map.of()))).isNotEmpty();
  }

  @Test
  void useLatestVersionWritesWithTheSubjectsLatestSchema() {
    Schema v1 = SchemaBuilder.record("Pulse").fields().requiredString("school").endRecord();
    Schema v2 =
        SchemaBuilder.record("Pulse")
            .fields()
            .requiredString("school")
            .name("note")
            .type()
            .stringType()
            .stringDefault("none")
            .endRecord();
    Map<String, Object> props = new java.util.HashMap<>(props("mock://latest"));
    props.put(AvroSerdeConfig.USE_LATEST_VERSION, true);
    InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope("mock://latest");
    registry.register("p-value", v1);
    int v2id = registry.register("p-value", v2);

    GenericRecord old = new GenericData.Record(v1);
    old.put("school", "s1");
    var serializer = new AvroSerializer<GenericRecord>();
    serializer.configure(props, false);
    byte[] bytes = serializer.serialize("p", old);

    assertThat(WireFormat.schemaId(bytes, "p")).isEqualTo(v2id);
    GenericRecord read =
        AvroSerde.generic().configured(props, false).deserializer().deserialize("p", bytes);
    assertThat(read.get("school").toString()).isEqualTo("s1");
    assertThat(read.get("note").toString()).isEqualTo("none");
  }

  @Test
  void unsupportedSubjectStrategyIsRejectedAtConfigure() {
    Map<String, Object> props = new java.util.HashMap<>(props("mock://strategy"));
    props.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy");
    assertThatThrownBy(() -> AvroSerde.generic().configure(props, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value.subject.name.strategy");
  }

  @Property(tries = 200)
  void anySubmissionRoundTrips(@ForAll("submissions") SurveySubmission original) {
    Map<String, Object> props = Map.of(RegistryClientConfig.URL, "mock://property");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(props, false);
    byte[] bytes = serde.serializer().serialize("t", original);
    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(original);
  }

  @Provide
  Arbitrary<SurveySubmission> submissions() {
    Arbitrary<String> ids = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
    Arbitrary<Map<String, Integer>> answers =
        Arbitraries.maps(
            Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
            Arbitraries.integers().between(-5, 10));
    Arbitrary<Role> roles = Arbitraries.of(Role.class);
    Arbitrary<Long> times = Arbitraries.longs().between(0, 4_102_444_800_000L);
    return Combinators.combine(ids, answers, roles, times, ids.injectNull(0.3))
        .as(
            (id, a, role, t, key) ->
                SurveySubmission.newBuilder(submission(id, a))
                    .setRole(role)
                    .setRespondentKey(key)
                    .setSubmittedAt(Instant.ofEpochMilli(t))
                    .build());
  }
}

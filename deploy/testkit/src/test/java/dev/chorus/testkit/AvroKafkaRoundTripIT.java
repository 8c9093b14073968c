package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.Role;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.registry.SchemaRegistryClient;
import dev.chorus.serde.AvroSerde;
import dev.chorus.serde.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Avro records through a real broker and registry: produce, then consume as specific and raw. */
@ChorusIntegrationTest
class AvroKafkaRoundTripIT {

  private static final int RECORDS = 500;

  private static SurveySubmission submission(int i) {
    return SurveySubmission.newBuilder()
        .setSubmissionId("sub-" + i)
        .setDistrictId("d1")
        .setSchoolId("school-" + (i % 7))
        .setCycle("2026-fall")
        .setInstrumentId("collective-leadership")
        .setInstrumentVersion(1)
        .setRespondentKey(i % 5 == 0 ? null : "key-" + i)
        .setRole(Role.values()[1 + i % 5])
        .setSubmittedAt(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i))
        .setReceivedAt(Instant.parse("2026-10-02T00:00:00Z"))
        .setAnswers(Map.of("trust_respect_1", 1 + i % 5, "vision_strategy_2", 5 - i % 5))
        .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
        .build();
  }

  @Test
  void specificRecordsRoundTripThroughBrokerAndRegistry(ChorusStack stack) {
    String topic = "roundtrip-" + UUID.randomUUID();
    stack.createTopic(topic, 3, false);
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(stack.serdeProperties(), false);

    Map<String, Object> producerProps = stack.kafkaProperties();
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, SurveySubmission> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer())) {
      for (int i = 0; i < RECORDS; i++) {
        SurveySubmission s = submission(i);
        producer.send(new ProducerRecord<>(topic, s.getSchoolId(), s));
      }
      producer.flush();
    }

    List<SurveySubmission> read = new ArrayList<>();
    List<byte[]> raw = new ArrayList<>();
    try (KafkaConsumer<String, SurveySubmission> consumer =
            new KafkaConsumer<>(
                consumerProps(stack), new StringDeserializer(), serde.deserializer());
        KafkaConsumer<String, byte[]> rawConsumer =
            new KafkaConsumer<>(
                consumerProps(stack), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      rawConsumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((read.size() < RECORDS || raw.size() < RECORDS) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
        for (ConsumerRecord<String, byte[]> r : rawConsumer.poll(Duration.ofMillis(200))) {
          raw.add(r.value());
        }
      }
    }

    assertThat(read).hasSize(RECORDS);
    assertThat(read)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, RECORDS)
                .mapToObj(AvroKafkaRoundTripIT::submission)
                .toList());
    SchemaRegistryClient registry =
        new SchemaRegistryClient(RegistryClientConfig.of(stack.schemaRegistryUrl()));
    int id = registry.latest(topic + "-value").id();
    assertThat(registry.schemaById(id)).isEqualTo(SurveySubmission.getClassSchema());
    assertThat(raw)
        .hasSize(RECORDS)
        .allSatisfy(
            bytes -> {
              assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
              assertThat(WireFormat.schemaId(bytes, topic)).isEqualTo(id);
            });

    AvroSerde<GenericRecord> generic =
        AvroSerde.generic().configured(stack.serdeProperties(), false);
    GenericRecord asGeneric = generic.deserializer().deserialize(topic, raw.get(0));
    assertThat(asGeneric.getSchema()).isEqualTo(SurveySubmission.getClassSchema());
  }

  private static Map<String, Object> consumerProps(ChorusStack stack) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "roundtrip-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }
}

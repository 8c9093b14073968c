package dev.chorus.sink;

import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.RejectedSubmission;
import dev.chorus.avro.RejectionReason;
import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.contracts.ReportingModel;
import dev.chorus.processor.Scenarios;
import dev.chorus.processor.oracle.BatchMetrics;
import dev.chorus.serde.AvroSerde;
import dev.chorus.testkit.ChorusStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reporting data for the ClickHouse tests, loaded once per test JVM into the default databases (the
 * ones the users' grants and row filters name): two districts' processor outputs as the batch
 * oracle computes them, plus late and rejected submissions, produced to Kafka and written by the
 * real sink.
 */
final class ReportingFixture {

  static final String PREFIX = "reporting.";
  static final ChorusTopics TOPICS = new ChorusTopics(PREFIX);
  static final List<String> DISTRICTS = List.of("north", "south");

  /** What was produced. */
  record Loaded(
      Map<String, Map<String, SpecificRecordBase>> expected,
      List<SurveySubmission> late,
      List<RejectedSubmission> rejected,
      int records) {}

  /** The processor's production defaults: windows of 30 and 90 days, 14 days of grace, k 5. */
  static final dev.chorus.processor.engine.Aggregates.Settings SETTINGS =
      new dev.chorus.processor.engine.Aggregates.Settings(
          List.of(30, 90),
          Duration.ofDays(14),
          new dev.chorus.processor.suppression.SmallCellPolicy(5),
          0.5);

  private static Loaded loaded;

  private ReportingFixture() {}

  static synchronized Loaded load(ChorusStack stack) throws Exception {
    if (loaded != null) {
      return loaded;
    }
    List<SurveySubmission> submissions = new ArrayList<>();
    List<Roster> rosters = new ArrayList<>();
    Random random = new Random(2026);
    submissions.addAll(
        Scenarios.district(
            random, "north", List.of("lincoln", "roosevelt", "adams", "king", "parks"), 40, 20));
    submissions.addAll(
        Scenarios.district(random, "south", List.of("hamilton", "jefferson", "tiny"), 30, 20));
    for (String cycle : List.of("2026-fall", "2026-spring")) {
      for (String school : List.of("lincoln", "roosevelt", "adams")) {
        Roster r = Scenarios.roster(school, cycle, Map.of(Role.TEACHER, 40, Role.ADMINISTRATOR, 4));
        r.put("district_id", "north");
        rosters.add(r);
      }
    }
    BatchMetrics.Result result =
        BatchMetrics.compute(
            submissions,
            rosters,
            s -> Scenarios.INSTRUMENT,
            SETTINGS,
            false,
            Scenarios.outputs(TOPICS));
    List<RejectedSubmission> rejected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rejected.add(
          new RejectedSubmission(
              "rej-" + i,
              i == 2 ? "south" : "north",
              null,
              i == 2 ? "hamilton" : "lincoln",
              "2026-fall",
              Scenarios.INSTRUMENT.id(),
              Scenarios.INSTRUMENT.version(),
              new SubmissionSource(SourceChannel.UPLOAD, "upload-1", (long) i + 1, null),
              Instant.parse("2026-09-05T10:00:00Z"),
              List.of(
                  new RejectionReason(
                      i == 2 ? ReasonCode.UNKNOWN_ROLE : ReasonCode.ANSWER_OUT_OF_SCALE,
                      "trust_respect_5",
                      "answer 9 is outside 1..5")),
              Map.of("trust_respect_5", "9")));
    }
    createTopics(stack, TOPICS);
    int records = 0;
    try (KafkaProducer<String, Object> producer = producer(stack)) {
      for (Map.Entry<String, Map<String, SpecificRecordBase>> topic : result.byTopic().entrySet()) {
        for (Map.Entry<String, SpecificRecordBase> cell : topic.getValue().entrySet()) {
          producer.send(new ProducerRecord<>(topic.getKey(), cell.getKey(), cell.getValue()));
          records++;
        }
      }
      for (SurveySubmission s : result.late()) {
        producer.send(new ProducerRecord<>(TOPICS.lateSubmissions(), s.getSchoolId(), s));
        records++;
      }
      for (RejectedSubmission r : rejected) {
        producer.send(new ProducerRecord<>(TOPICS.rejected(), r.getDistrictId(), r));
        records++;
      }
      producer.flush();
    }
    try (SinkApp sink = SinkApp.start(config(stack, "reporting-fixture", Map.of()))) {
      awaitCommitted(stack, "reporting-fixture", PREFIX, Duration.ofSeconds(90));
    }
    loaded = new Loaded(result.byTopic(), result.late(), rejected, records);
    return loaded;
  }

  /** Creates the topics the sink reads (as the processor and ingest service would). */
  static void createTopics(ChorusStack stack, ChorusTopics topics) {
    dev.chorus.processor.ProcessorApp.ensureTopics(stack.kafkaBootstrapServers(), topics);
    stack.createTopic(topics.rejected(), 6, false);
  }

  /** Sink settings for the stack's ClickHouse as the writer user, reading {@link #PREFIX}. */
  static SinkConfig config(ChorusStack stack, String groupId, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("CHORUS_TOPIC_PREFIX", PREFIX);
    env.put("CHORUS_SINK_GROUP_ID", groupId);
    env.put("CHORUS_CLICKHOUSE_URL", stack.clickhouseHttpUrl());
    env.put("CHORUS_CLICKHOUSE_USER", ReportingModel.WRITER);
    env.put("CHORUS_CLICKHOUSE_PASSWORD", stack.clickhouseWriterPassword());
    env.put("CHORUS_SINK_HTTP_PORT", "0");
    env.put("CHORUS_SINK_BATCH_MAX_AGE_MS", "200");
    env.putAll(overrides);
    return SinkConfig.fromEnvironment(env);
  }

  /**
   * Waits until the sink's consumer group has committed every record of the topics starting with
   * {@code prefix}: the sink commits only after ClickHouse confirmed the rows.
   */
  static void awaitCommitted(ChorusStack stack, String groupId, String prefix, Duration timeout)
      throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(stack.kafkaProperties())) {
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<org.apache.kafka.common.TopicPartition, Long> behind = Map.of();
      while (System.nanoTime() < deadline) {
        List<String> topics =
            admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
            latest = new HashMap<>();
        admin
            .describeTopics(topics)
            .allTopicNames()
            .get()
            .forEach(
                (name, description) ->
                    description
                        .partitions()
                        .forEach(
                            p ->
                                latest.put(
                                    new org.apache.kafka.common.TopicPartition(name, p.partition()),
                                    org.apache.kafka.clients.admin.OffsetSpec.latest())));
        Map<
                org.apache.kafka.common.TopicPartition,
                org.apache.kafka.clients.consumer.OffsetAndMetadata>
            committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<org.apache.kafka.common.TopicPartition, Long> lagging = new HashMap<>();
        admin
            .listOffsets(latest)
            .all()
            .get()
            .forEach(
                (tp, info) -> {
                  var c = committed.get(tp);
                  long done = c == null ? 0 : c.offset();
                  if (info.offset() > done) {
                    lagging.put(tp, info.offset() - done);
                  }
                });
        if (lagging.isEmpty()) {
          return;
        }
        behind = lagging;
        Thread.sleep(200);
      }
      throw new AssertionError(
          "sink group " + groupId + " did not catch up within " + timeout + "; behind: " + behind);
    }
  }

  /** Waits until the base tables of {@code database} hold {@code rows} rows in all. */
  static void awaitRows(ChorusStack stack, String database, long rows, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = rawRows(stack, database);
      if (seen >= rows) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "expected " + rows + " rows in " + database + " within " + timeout + ", saw " + seen);
  }

  /** Rows in all base tables, replays and old versions included. */
  static long rawRows(ChorusStack stack, String database) throws Exception {
    return Sql.count(
        stack,
        "SELECT sum(total_rows) FROM system.tables WHERE database = '"
            + database
            + "' AND name != 'schema_migrations' AND engine LIKE '%MergeTree'");
  }

  @SuppressWarnings("unchecked")
  static KafkaProducer<String, Object> producer(ChorusStack stack) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    var serde = AvroSerde.generic().configured(stack.serdeProperties(), false);
    return new KafkaProducer<>(
        props, new StringSerializer(), (Serializer<Object>) (Serializer<?>) serde.serializer());
  }
}

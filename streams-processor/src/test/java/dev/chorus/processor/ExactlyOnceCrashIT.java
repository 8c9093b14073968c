package dev.chorus.processor;

import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.kafka.DistrictPartitions;
import dev.chorus.processor.engine.Aggregates;
import dev.chorus.processor.oracle.BatchMetrics;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.serde.AvroSerde;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once on the real broker: the processor runs as its own JVM, is killed (SIGKILL, no
 * commit, no close) mid-stream, restarted, and its committed output must equal the batch oracle:
 * nothing lost, nothing counted twice.
 */
@ChorusIntegrationTest
class ExactlyOnceCrashIT {

  private static final Instrument INSTRUMENT = InstrumentLoader.defaultInstrument();

  @Test
  void killedMidStreamAndRestartedEqualsTheOracle(ChorusStack stack, @TempDir Path dir)
      throws Exception {
    String prefix = "x" + UUID.randomUUID().toString().substring(0, 8) + ".";
    ChorusTopics topics = new ChorusTopics(prefix);
    stack.createTopic(topics.submissions(), 6, false);
    List<SurveySubmission> submissions = generate(new Random(11));
    Roster roster =
        Scenarios.roster("lincoln", "2026-fall", Map.of(Role.TEACHER, 40, Role.ADMINISTRATOR, 3));
    String applicationId = "crash-" + UUID.randomUUID();
    Map<String, String> env = new HashMap<>();
    env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("CHORUS_TOPIC_PREFIX", prefix);
    env.put("CHORUS_PROCESSOR_APPLICATION_ID", applicationId);
    env.put("CHORUS_PROCESSOR_STATE_DIR", dir.resolve("state").toString());
    env.put("CHORUS_PROCESSOR_HTTP_PORT", "0");
    env.put("CHORUS_ROLLING_WINDOWS", "3,7");
    // Arrival order across partitions is the broker's: a grace longer than the data's span keeps
    // lateness (the only order-dependent rule) out of this test.
    env.put("CHORUS_LATE_GRACE_DAYS", "30");
    env.put("CHORUS_RESPONSE_GATE", "0.5");
    env.put("CHORUS_ROLLING_ITEM_DISTRIBUTIONS", "true");
    env.put("CHORUS_EMIT_INTERVAL_MS", "200");
    env.put("CHORUS_BACKLOG_EMIT_INTERVAL_MS", "1000");
    env.put("CHORUS_STREAMS_CONSUMER_SESSION_TIMEOUT_MS", "6000");
    env.put("CHORUS_STREAMS_COMMIT_INTERVAL_MS", "200");
    // Two stream threads, so the crash and restart are checked with tasks spread over threads (the
    // other processor tests run one, the default). Too little data to provoke thread races
    // reliably: DistrictOfTest covers the one shared piece directly.
    env.put("CHORUS_PROCESSOR_THREADS", "2");

    try (KafkaProducer<String, Object> producer = producer(stack)) {
      Process first = launch(env, Path.of("target", "crash-it", "first.log"));
      try {
        producer
            .send(
                new ProducerRecord<>(
                    topics.instruments(),
                    InstrumentAvro.topicKey(null, INSTRUMENT.id(), INSTRUMENT.version()),
                    InstrumentAvro.toAvro(INSTRUMENT, null)))
            .get();
        producer.send(new ProducerRecord<>(topics.rosters(), "d1/2026-fall/lincoln", roster));
        int half = submissions.size() / 2;
        for (SurveySubmission s : submissions.subList(0, half)) {
          producer.send(submission(topics, s));
        }
        producer.flush();
        awaitOutput(stack, topics, Duration.ofSeconds(90));
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      for (SurveySubmission s : submissions.subList(submissions.size() / 2, submissions.size())) {
        producer.send(submission(topics, s));
      }
      producer.flush();
    }

    Process second = launch(env, Path.of("target", "crash-it", "second.log"));
    try {
      Aggregates.Settings settings =
          new Aggregates.Settings(List.of(3, 7), Duration.ofDays(30), new SmallCellPolicy(5), 0.5);
      Map<String, Map<String, SpecificRecordBase>> expected =
          BatchMetrics.compute(
                  submissions,
                  List.of(roster),
                  s -> INSTRUMENT,
                  settings,
                  true,
                  Scenarios.outputs(topics))
              .byTopic();
      Map<String, Map<String, SpecificRecordBase>> state =
          awaitState(stack, topics, expected, Duration.ofSeconds(150));
      expected.forEach(
          (topic, cells) -> OracleAssertions.assertMatches(topic, state.get(topic), cells));
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Two schools' submissions on their district's partition (as the ingest service writes them:
   * straight to the metrics), the other two's where Kafka's key hashing puts them (most through the
   * repartition topic), so a crash is recovered on both paths.
   */
  private static ProducerRecord<String, Object> submission(
      ChorusTopics topics, SurveySubmission s) {
    boolean byDistrict = s.getSchoolId().equals("lincoln") || s.getSchoolId().equals("adams");
    Integer partition = byDistrict ? DistrictPartitions.of(s.getDistrictId(), 6) : null;
    return new ProducerRecord<>(topics.submissions(), partition, s.getSchoolId(), s);
  }

  private static List<SurveySubmission> generate(Random random) {
    return Scenarios.district(
        random, "d1", List.of("lincoln", "roosevelt", "adams", "king"), 40, 12);
  }

  private static Process launch(Map<String, String> env, Path log) throws Exception {
    java.nio.file.Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                ProcessorApp.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  @SuppressWarnings("unchecked")
  private static KafkaProducer<String, Object> producer(ChorusStack stack) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    var serde = AvroSerde.generic().configured(stack.serdeProperties(), false);
    return new KafkaProducer<>(
        props,
        new StringSerializer(),
        (org.apache.kafka.common.serialization.Serializer<Object>)
            (org.apache.kafka.common.serialization.Serializer<?>) serde.serializer());
  }

  /** Reads committed metric records, each topic into its generated class. */
  private static KafkaConsumer<String, SpecificRecordBase> consumer(
      ChorusStack stack, ChorusTopics topics) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Deserializer<? extends SpecificRecordBase>> byTopic = new HashMap<>();
    Scenarios.outputs(topics)
        .forEach(
            (type, topic) ->
                byTopic.put(
                    topic,
                    AvroSerde.specific(type.asSubclass(SpecificRecordBase.class))
                        .configured(stack.serdeProperties(), false)
                        .deserializer()));
    Deserializer<SpecificRecordBase> values =
        (topic, data) -> byTopic.get(topic).deserialize(topic, data);
    return new KafkaConsumer<>(props, new StringDeserializer(), values);
  }

  private static void awaitOutput(ChorusStack stack, ChorusTopics topics, Duration timeout) {
    try (KafkaConsumer<String, SpecificRecordBase> consumer = consumer(stack, topics)) {
      consumer.subscribe(List.of(topics.scaleScores()));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(300)).isEmpty()) {
          return;
        }
      }
    }
    throw new AssertionError("the processor produced no committed output within " + timeout);
  }

  /** Folds the committed output until it matches the oracle and stays quiet, or the deadline. */
  private static Map<String, Map<String, SpecificRecordBase>> awaitState(
      ChorusStack stack,
      ChorusTopics topics,
      Map<String, Map<String, SpecificRecordBase>> expected,
      Duration timeout) {
    Map<String, Map<String, SpecificRecordBase>> state = new HashMap<>();
    expected.keySet().forEach(topic -> state.put(topic, new LinkedHashMap<>()));
    try (KafkaConsumer<String, SpecificRecordBase> consumer = consumer(stack, topics)) {
      consumer.subscribe(List.copyOf(expected.keySet()));
      long deadline = System.nanoTime() + timeout.toNanos();
      long matchedSince = -1;
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(300));
        records.forEach(
            r -> {
              if (r.value() == null) {
                state.get(r.topic()).remove(r.key());
              } else {
                state.get(r.topic()).put(r.key(), r.value());
              }
            });
        boolean matches =
            expected.entrySet().stream()
                .allMatch(e -> OracleAssertions.matches(state.get(e.getKey()), e.getValue()));
        if (!matches || !records.isEmpty()) {
          matchedSince = matches ? System.nanoTime() : -1;
        } else if (matchedSince < 0) {
          matchedSince = System.nanoTime();
        } else if (System.nanoTime() - matchedSince > Duration.ofSeconds(3).toNanos()) {
          return state;
        }
      }
    }
    return state;
  }
}

package dev.chorus.processor;

import dev.chorus.avro.Role;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.processor.oracle.BatchScaleScores;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.serde.AvroSerde;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  private static final List<String> ITEMS =
      List.of(
          "vision_strategy_1",
          "vision_strategy_2",
          "trust_respect_1",
          "shared_influence_1",
          "burnout_risk");
  private static final Role[] ROLES = {
    Role.TEACHER, Role.TEACHER, Role.TEACHER, Role.PARAPROFESSIONAL, Role.ADMINISTRATOR
  };

  @Test
  void killedMidStreamAndRestartedEqualsTheOracle(ChorusStack stack, @TempDir Path dir)
      throws Exception {
    String prefix = "x" + UUID.randomUUID().toString().substring(0, 8) + ".";
    ChorusTopics topics = new ChorusTopics(prefix);
    stack.createTopic(topics.submissions(), 6, false);
    stack.createTopic(topics.instruments(), 1, true);
    stack.createTopic(topics.scaleScores(), 6, true);
    List<SurveySubmission> submissions = generate(new Random(11));
    String applicationId = "crash-" + UUID.randomUUID();
    Map<String, String> env = new HashMap<>();
    env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
    env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("CHORUS_TOPIC_PREFIX", prefix);
    env.put("CHORUS_PROCESSOR_APPLICATION_ID", applicationId);
    env.put("CHORUS_PROCESSOR_STATE_DIR", dir.resolve("state").toString());
    env.put("CHORUS_STREAMS_CONSUMER_SESSION_TIMEOUT_MS", "6000");
    env.put("CHORUS_STREAMS_COMMIT_INTERVAL_MS", "200");

    try (KafkaProducer<String, Object> producer = producer(stack)) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.instruments(),
                  InstrumentAvro.topicKey(null, INSTRUMENT.id(), INSTRUMENT.version()),
                  InstrumentAvro.toAvro(INSTRUMENT, null)))
          .get();
      int half = submissions.size() / 2;
      for (SurveySubmission s : submissions.subList(0, half)) {
        producer.send(new ProducerRecord<>(topics.submissions(), s.getSchoolId(), s));
      }
      producer.flush();

      Path logs = Path.of("target", "crash-it");
      java.nio.file.Files.createDirectories(logs);
      Process first = launch(env, logs.resolve("first.log"));
      try {
        awaitOutput(stack, topics.scaleScores(), Duration.ofSeconds(90));
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }

      for (SurveySubmission s : submissions.subList(half, submissions.size())) {
        producer.send(new ProducerRecord<>(topics.submissions(), s.getSchoolId(), s));
      }
      producer.flush();
    }

    Process second = launch(env, Path.of("target", "crash-it", "second.log"));
    try {
      Map<String, BatchScaleScores.Cell> expected =
          OracleAssertions.expectedSchoolCells(submissions, INSTRUMENT, new SmallCellPolicy(5));
      OracleAssertions.assertMatches(
          awaitState(stack, topics.scaleScores(), expected, Duration.ofSeconds(120)), expected);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<SurveySubmission> generate(Random random) {
    List<SurveySubmission> all = new ArrayList<>();
    int id = 0;
    for (String school : List.of("lincoln", "roosevelt", "adams", "king")) {
      for (int r = 0; r < 40; r++) {
        String key = random.nextInt(8) == 0 ? null : school + "-r" + r;
        int versions = key == null ? 1 : 1 + random.nextInt(3);
        for (int v = 0; v < versions; v++) {
          Map<String, Integer> answers = new HashMap<>();
          for (String item : ITEMS) {
            if (random.nextInt(5) != 0) {
              answers.put(item, 1 + random.nextInt(5));
            }
          }
          Instant at = Instant.parse("2026-10-01T00:00:00Z").plusSeconds(random.nextInt(1_000_000));
          SurveySubmission s =
              SurveySubmission.newBuilder()
                  .setSubmissionId("s" + id++)
                  .setDistrictId("d1")
                  .setSchoolId(school)
                  .setCycle("2026-fall")
                  .setInstrumentId(INSTRUMENT.id())
                  .setInstrumentVersion(INSTRUMENT.version())
                  .setRespondentKey(key)
                  .setRole(ROLES[random.nextInt(ROLES.length)])
                  .setSubmittedAt(at)
                  .setReceivedAt(at.plusSeconds(30))
                  .setAnswers(answers)
                  .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
                  .build();
          all.add(s);
          if (random.nextInt(10) == 0) {
            all.add(s);
          }
        }
      }
    }
    Collections.shuffle(all, random);
    return all;
  }

  private static Process launch(Map<String, String> env, Path log) throws Exception {
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

  private static KafkaConsumer<String, ScaleScore> consumer(ChorusStack stack) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(
        props,
        new StringDeserializer(),
        AvroSerde.specific(ScaleScore.class)
            .configured(stack.serdeProperties(), false)
            .deserializer());
  }

  private static void awaitOutput(ChorusStack stack, String topic, Duration timeout) {
    try (KafkaConsumer<String, ScaleScore> consumer = consumer(stack)) {
      consumer.subscribe(List.of(topic));
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
  private static Map<String, ScaleScore> awaitState(
      ChorusStack stack,
      String topic,
      Map<String, BatchScaleScores.Cell> expected,
      Duration timeout) {
    Map<String, ScaleScore> state = new LinkedHashMap<>();
    try (KafkaConsumer<String, ScaleScore> consumer = consumer(stack)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      long matchedSince = -1;
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(300));
        records.forEach(
            r -> {
              if (r.value() == null) {
                state.remove(r.key());
              } else {
                state.put(r.key(), r.value());
              }
            });
        boolean matches = OracleAssertions.matches(state, expected);
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

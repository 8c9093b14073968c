package dev.chorus.launcher.bench;

import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.Role;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.kafka.DistrictPartitions;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.Ports;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./chorus bench processor [--submissions N] [--districts D] [--threads T]}: the full
 * metrics topology on the real broker with exactly-once. Realistic submissions (about 35 answered
 * items and 45 influence ratings each, 70 % with a decision reflection, resubmissions, duplicates,
 * anonymous and late ones, cohorts, 30 days) are written to the submissions topic first; then the
 * same topic is read by a plain consumer (the raw rate), and then by the processor in its own JVM,
 * timed from RUNNING until every record is applied. Prints both rates and the processor's peak RSS;
 * a benchmark, never a test. {@code --influence false} leaves out the influence ratings and
 * reflections (only the condition metrics then have work). Submissions go onto their district's
 * partition as the ingest service writes them; {@code --partition-by school} uses Kafka's default
 * key partitioning instead, so every submission takes the processor's repartition hop.
 */
public final class ProcessorBenchmark {

  private ProcessorBenchmark() {}

  public static void main(String[] args) throws Exception {
    int submissions = 1_000_000;
    int districts = 4;
    int threads = 1;
    String heap = "-Xmx768m";
    boolean influence = true;
    boolean byDistrict = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--submissions" -> submissions = Integer.parseInt(args[i + 1]);
        case "--districts" -> districts = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--heap" -> heap = "-Xmx" + args[i + 1];
        case "--influence" -> influence = Boolean.parseBoolean(args[i + 1]);
        case "--partition-by" -> byDistrict = partitionByDistrict(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (--submissions N, --districts D, --threads T, --heap 768m,"
                    + " --influence true|false, --partition-by district|school)");
      }
    }
    Path work = Files.createTempDirectory("chorus-bench-processor-");
    LocalStackConfig config =
        new LocalStackConfig(work.resolve("stack"), work, 0, 0, 0, 0, 0, false, List.of());
    try (LocalStack stack = LocalStack.start(config)) {
      ChorusTopics topics = new ChorusTopics("chorus.");
      String bootstrap = stack.kafka().bootstrapServers();
      TopicCreator.ensure(
          bootstrap,
          List.of(
              TopicCreator.topic(topics.submissions(), 6, false),
              TopicCreator.topic(topics.instruments(), 1, true)));
      Map<String, Object> serde = Map.of(RegistryClientConfig.URL, stack.registry().url());
      long produceStart = System.nanoTime();
      long records =
          produce(bootstrap, serde, topics, submissions, districts, influence, byDistrict);
      double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
      System.out.printf(
          "Wrote %,d records (%,d submissions + duplicate deliveries) in %.1f s (%,.0f/s)%n",
          records, submissions, produceSeconds, records / produceSeconds);

      double rawSeconds = readRaw(bootstrap, topics.submissions(), records);
      System.out.printf(
          "Raw consumer (bytes, read_committed): %,d records in %.2f s = %,.0f records/s%n",
          records, rawSeconds, records / rawSeconds);

      int port = Ports.resolve(0);
      Map<String, String> env = new HashMap<>();
      env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
      env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.registry().url());
      env.put("CHORUS_PROCESSOR_STATE_DIR", work.resolve("processor").toString());
      env.put("CHORUS_PROCESSOR_HTTP_PORT", Integer.toString(port));
      env.put("CHORUS_PROCESSOR_THREADS", Integer.toString(threads));
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "chorus-bench-processor.log");
      System.out.println("Processor log: " + log);
      List<String> jvm = new ArrayList<>(List.of(heap));
      jvm.addAll(jvmOptions());
      Process processor =
          BenchSupport.java(
              "dev.chorus.processor.ProcessorApp", env, log, jvm.toArray(String[]::new));
      try {
        String base = "http://127.0.0.1:" + port;
        BenchSupport.awaitOk(base + "/health", processor, "the processor");
        // /health answers 200 while the first rebalance is still under way: the clock starts once
        // the tasks are assigned and processing.
        while (!BenchSupport.get(base + "/health").body().contains("\"state\":\"RUNNING\"")) {
          if (!processor.isAlive()) {
            throw new IllegalStateException("the processor exited; see " + log);
          }
          Thread.sleep(50);
        }
        long start = System.nanoTime();
        double done = 0;
        long lastReport = start;
        while (done < records) {
          // Each /metrics scrape costs the processor CPU (Kafka Streams has hundreds of meters):
          // poll twice a second, which bounds the timing error at 0.5 s.
          Thread.sleep(500);
          if (!processor.isAlive()) {
            throw new IllegalStateException("the processor exited; see " + log);
          }
          if (BenchSupport.get(base + "/health").statusCode() != 200) {
            throw new IllegalStateException("the processor failed; see " + log);
          }
          // Every record ends applied, duplicate or parked; a late submission is also applied
          // (counted under both applied and late), so late ones must not be added.
          String scrape = BenchSupport.get(base + "/metrics").body();
          done =
              BenchSupport.sum(scrape, "chorus_processor_submissions_total{")
                  - BenchSupport.sum(scrape, "chorus_processor_submissions_total{outcome=\"late\"");
          if (System.nanoTime() - lastReport > 10e9) {
            lastReport = System.nanoTime();
            System.out.printf(
                "  … %,.0f of %,d records after %.0f s%n",
                done, records, (lastReport - start) / 1e9);
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String scrape = BenchSupport.get(base + "/metrics").body();
        double late =
            BenchSupport.sum(scrape, "chorus_processor_submissions_total{outcome=\"late\"");
        double applied =
            BenchSupport.sum(scrape, "chorus_processor_submissions_total{outcome=\"applied\"");
        double duplicates =
            BenchSupport.sum(scrape, "chorus_processor_submissions_total{outcome=\"duplicate\"");
        double published = BenchSupport.sum(scrape, "chorus_processor_published_records_total");
        double rerouted = BenchSupport.sum(scrape, "chorus_processor_rerouted_submissions_total");
        double publicationSeconds =
            BenchSupport.sum(scrape, "chorus_processor_publication_seconds_sum");
        double publications =
            BenchSupport.sum(scrape, "chorus_processor_publication_seconds_count");
        System.out.printf(
            "%nProcessor benchmark, %s: %,d records (%d districts, %d stream thread(s),"
                + " exactly_once_v2, partitioned by %s; %,.0f took the repartition hop)%n"
                + "  processor: %.1f s = %,.0f records/s (raw consumer of the same topic: %,.0f records/s)%n"
                + "  applied: %,.0f (late: %,.0f), duplicates: %,.0f; metric records published so far: %,.0f"
                + " (%.1f s in %,.0f publications)%n"
                + "  processor JVM (%s %s): peak RSS %s%n",
            Instant.now(),
            records,
            districts,
            threads,
            byDistrict ? "district" : "school",
            rerouted,
            seconds,
            records / seconds,
            records / rawSeconds,
            applied,
            late,
            duplicates,
            published,
            publicationSeconds,
            publications,
            heap,
            String.join(" ", jvmOptions()),
            BenchSupport.peakRss(processor.pid()));
      } finally {
        BenchSupport.stop(processor);
      }
    } finally {
      BenchSupport.deleteTree(work);
    }
  }

  /** The processor JVM's options besides the heap (replaced by the environment variable). */
  private static List<String> jvmOptions() {
    return BenchSupport.jvmOptions("CHORUS_BENCH_PROCESSOR_JVM_OPTS", "-XX:+UseParallelGC");
  }

  /** Writes the instrument and the submissions; returns how many submission records were sent. */
  private static long produce(
      String bootstrap,
      Map<String, Object> serde,
      ChorusTopics topics,
      int submissions,
      int districts,
      boolean influence,
      boolean byDistrict)
      throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    Instrument instrument = InstrumentLoader.defaultInstrument();
    @SuppressWarnings("unchecked")
    Serializer<Object> values =
        (Serializer<Object>)
            (Serializer<?>) AvroSerde.generic().configured(serde, false).serializer();
    long sent = 0;
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(props, new StringSerializer(), values)) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.instruments(),
                  InstrumentAvro.topicKey(null, instrument.id(), instrument.version()),
                  InstrumentAvro.toAvro(instrument, null)))
          .get();
      Generator generator = new Generator(instrument, submissions, districts, influence);
      int partitions = producer.partitionsFor(topics.submissions()).size();
      SurveySubmission previous = null;
      for (int i = 0; i < submissions; i++) {
        SurveySubmission s = generator.next(i);
        producer.send(record(topics.submissions(), s, byDistrict, partitions));
        sent++;
        if (previous != null && generator.random.nextInt(100) == 0) {
          // A duplicate delivery (e.g. an export uploaded twice): must change nothing.
          producer.send(record(topics.submissions(), previous, byDistrict, partitions));
          sent++;
        }
        previous = s;
      }
      producer.flush();
    }
    return sent;
  }

  private static boolean partitionByDistrict(String value) {
    return switch (value) {
      case "district" -> true;
      case "school" -> false;
      default ->
          throw new IllegalArgumentException(
              "--partition-by must be district or school, got " + value);
    };
  }

  /** A submission keyed by school, on its district's partition or where its key hashes to. */
  private static ProducerRecord<String, Object> record(
      String topic, SurveySubmission s, boolean byDistrict, int partitions) {
    Integer partition = byDistrict ? DistrictPartitions.of(s.getDistrictId(), partitions) : null;
    return new ProducerRecord<>(topic, partition, s.getSchoolId(), s);
  }

  /** Reads the topic with a plain consumer (no deserialization); returns the seconds it took. */
  private static double readRaw(String bootstrap, String topic, long records) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long start = System.nanoTime();
      long seen = 0;
      while (seen < records) {
        seen += consumer.poll(Duration.ofMillis(500)).count();
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * Realistic submissions: districts of 12 schools, staff in every role, about 35 of the 42
   * agreement items answered, 10 % resubmissions, 5 % anonymous, 10 % in a pilot cohort, 30 days of
   * a cycle in rough time order with 1 % arriving three weeks late.
   */
  private static final class Generator {
    private static final Role[] ROLES = {
      Role.TEACHER,
      Role.TEACHER,
      Role.TEACHER,
      Role.TEACHER,
      Role.TEACHER,
      Role.PARAPROFESSIONAL,
      Role.SUPPORT_STAFF,
      Role.ADMINISTRATOR,
      Role.OTHER_STAFF
    };
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    final SplittableRandom random = new SplittableRandom(42);
    private final List<String> items;
    private final List<String> areas;
    private final List<String> groups;
    private final String instrumentId;
    private final int instrumentVersion;
    private final int submissions;
    private final int districts;
    private final boolean influence;
    private final Map<String, Integer> respondents = new HashMap<>();

    Generator(Instrument instrument, int submissions, int districts, boolean influence) {
      this.items = instrument.items().stream().map(Instrument.Item::id).toList();
      this.areas = instrument.decisionAreas().stream().map(Instrument.DecisionArea::id).toList();
      this.groups = instrument.groups().stream().map(Instrument.Group::id).toList();
      this.instrumentId = instrument.id();
      this.instrumentVersion = instrument.version();
      this.submissions = submissions;
      this.districts = districts;
      this.influence = influence;
    }

    private List<String> some() {
      List<String> some = new ArrayList<>();
      for (String g : groups) {
        if (random.nextInt(4) == 0) {
          some.add(g);
        }
      }
      return some;
    }

    SurveySubmission next(int i) {
      String district = "d" + random.nextInt(districts);
      int schoolNo = random.nextInt(12);
      String school = "s" + schoolNo;
      String schoolKey = district + "/" + school;
      int known = respondents.getOrDefault(schoolKey, 0);
      String respondent;
      if (random.nextInt(20) == 0) {
        respondent = null;
      } else if (known > 0 && random.nextInt(10) == 0) {
        respondent = schoolKey + "/r" + random.nextInt(known);
      } else {
        respondent = schoolKey + "/r" + known;
        respondents.put(schoolKey, known + 1);
      }
      Map<String, Integer> answers = new HashMap<>();
      for (String item : items) {
        if (random.nextInt(100) < 85) {
          int lean = schoolNo % 3 - 1; // schools differ
          answers.put(item, Math.max(1, Math.min(5, 1 + random.nextInt(5) + lean)));
        }
      }
      long second = (long) i * 30 * 86_400 / submissions + random.nextInt(3_600);
      if (random.nextInt(100) == 0) {
        second -= 21 * 86_400; // an export three weeks late
      }
      Instant submittedAt = START.plusSeconds(Math.max(0, second));
      List<InfluenceRating> ratings = new ArrayList<>();
      for (String area : influence ? areas : List.<String>of()) {
        for (String group : groups) {
          if (random.nextInt(100) < 80) { // "don't know" is missing
            ratings.add(new InfluenceRating(area, group, 1 + random.nextInt(4)));
          }
        }
      }
      DecisionReflection reflection =
          influence && random.nextInt(10) < 7
              ? new DecisionReflection(some(), some(), some(), some())
              : null;
      return SurveySubmission.newBuilder()
          .setSubmissionId("b" + i)
          .setDistrictId(district)
          .setSchoolId(school)
          .setCycle("2026-fall")
          .setInstrumentId(instrumentId)
          .setInstrumentVersion(instrumentVersion)
          .setRespondentKey(
              respondent == null ? null : Integer.toHexString(respondent.hashCode()) + respondent)
          .setRole(ROLES[random.nextInt(ROLES.length)])
          .setCohortTags(random.nextInt(10) == 0 ? List.of("pilot") : List.of())
          .setSubmittedAt(submittedAt)
          .setReceivedAt(submittedAt.plusSeconds(60))
          .setAnswers(answers)
          .setInfluence(ratings)
          .setReflection(reflection)
          .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
          .build();
    }
  }
}

package dev.chorus.processor;

import dev.chorus.config.ServiceMain;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.ops.OpsServer;
import dev.chorus.processor.topology.MetricsTopology;
import dev.chorus.processor.topology.ProcessorMetrics;
import dev.chorus.registry.RegistryClientConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams processor: runs the metrics topology with exactly-once processing, and serves {@code
 * /health} and {@code /metrics} (Prometheus) over HTTP.
 */
public final class ProcessorApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorApp.class);

  private final KafkaStreams streams;
  private final OpsServer http;
  private final ProcessorMetrics metrics;
  private final KafkaStreamsMetrics streamsMetrics;
  private final CountDownLatch ended;
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ProcessorApp(
      KafkaStreams streams,
      OpsServer http,
      ProcessorMetrics metrics,
      KafkaStreamsMetrics streamsMetrics,
      CountDownLatch ended) {
    this.streams = streams;
    this.http = http;
    this.metrics = metrics;
    this.streamsMetrics = streamsMetrics;
    this.ended = ended;
  }

  /** Blocks until Kafka Streams has stopped: closed, or failed (state ERROR). */
  public void awaitEnd() throws InterruptedException {
    ended.await();
  }

  /** The Kafka Streams settings Chorus runs with. */
  static Properties streamsProperties(ProcessorConfig config) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // Nothing lost, nothing double-counted: state, outputs and input offsets commit atomically.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    // Exactly-once defaults to a 100 ms commit. Records on the by-district repartition topic reach
    // the metrics step only once the re-keying transaction commits, so this interval adds to
    // freshness; 200 ms measured as fast as 500 ms on a 1M replay, and p99 freshness 1.6 s
    // instead of 1.9-2.0 s (docs/benchmarks.md).
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
    // Every submission is written twice more (repartition topic, history changelog) plus the
    // published cells: LZ4 costs the processor little and saves the broker more (1M replay:
    // 5,148 and 5,422/s against 4,558-4,907/s uncompressed; docs/benchmarks.md).
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // One bounded pool of native memory for every RocksDB store instead of one per store.
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
    p.put(BoundedRocksDb.TOTAL_BYTES_CONFIG, Long.toString((long) config.rocksDbMemoryMb() << 20));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
    // Internal topics take the broker's default replication factor (1 locally, 3 in production).
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    // A record that cannot be read is a bug or a contract break: stop loudly rather than skip it.
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    p.putAll(config.streamsOverrides());
    return p;
  }

  /** Starts the processor; returns once it is running. */
  public static ProcessorApp start(ProcessorConfig config) {
    ChorusTopics topics = new ChorusTopics(config.topicPrefix());
    ensureTopics(config.kafkaBootstrapServers(), topics);
    partitionAdvice(
            topics.submissions(),
            TopicCreator.partitionCount(config.kafkaBootstrapServers(), topics.submissions()),
            config.metricsSettings().partitions())
        .ifPresent(LOG::warn);
    Map<String, Object> serde = new HashMap<>();
    serde.put(RegistryClientConfig.URL, config.schemaRegistryUrl());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    ProcessorMetrics metrics = new ProcessorMetrics(registry);
    StreamsBuilder builder = new StreamsBuilder();
    MetricsTopology.build(builder, topics, config.metricsSettings(), serde, metrics);
    KafkaStreams streams = new KafkaStreams(builder.build(), streamsProperties(config));
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    OpsServer http =
        OpsServer.start(
            config.httpHost(),
            config.httpPort(),
            "CHORUS_PROCESSOR_HTTP_PORT",
            () -> {
              KafkaStreams.State state = streams.state();
              return new OpsServer.Health(state.isRunningOrRebalancing(), state.toString());
            },
            registry);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error(
              "Stream thread failed; stopping the processor (state is safe: exactly-once)", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Processor {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING
              || now == KafkaStreams.State.ERROR
              || now == KafkaStreams.State.NOT_RUNNING) {
            running.countDown();
          }
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
            ended.countDown();
          }
        });
    streams.start();
    try {
      if (!running.await(120, TimeUnit.SECONDS) || streams.state() != KafkaStreams.State.RUNNING) {
        streams.close(Duration.ofSeconds(10));
        http.close();
        throw new IllegalStateException(
            "The processor did not reach RUNNING (state " + streams.state() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the processor", e);
    }
    return new ProcessorApp(streams, http, metrics, streamsMetrics, ended);
  }

  /**
   * A warning when the submissions topic and the by-district repartition topic differ in partition
   * count: then submissions written onto their district's partition (as the ingest service writes
   * them) are not on the partition the processor expects, and take the repartition hop.
   */
  static java.util.Optional<String> partitionAdvice(
      String submissionsTopic, int submissionsPartitions, int processorPartitions) {
    if (submissionsPartitions == processorPartitions) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "Topic "
            + submissionsTopic
            + " has "
            + submissionsPartitions
            + " partitions but CHORUS_PROCESSOR_PARTITIONS is "
            + processorPartitions
            + ": submissions will take the repartition hop (slower, same results; see"
            + " chorus_processor_rerouted_submissions_total). Make the two equal.");
  }

  /** Address of /health and /metrics. */
  public String httpUrl() {
    return http.url();
  }

  /** The processor's own meters. */
  public ProcessorMetrics metrics() {
    return metrics;
  }

  /** Current Kafka Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    streams.close(Duration.ofSeconds(30));
    streamsMetrics.close();
    http.close();
  }

  /** Creates the processor's input and output topics if missing. */
  public static void ensureTopics(String bootstrap, ChorusTopics topics) {
    TopicCreator.ensure(
        bootstrap,
        List.of(
            TopicCreator.topic(topics.submissions(), 6, false),
            TopicCreator.topic(topics.instruments(), 1, true),
            TopicCreator.topic(topics.rosters(), 1, true),
            TopicCreator.topic(topics.scaleScores(), 6, true),
            TopicCreator.topic(topics.itemDistributions(), 6, true),
            TopicCreator.topic(topics.scaleChanges(), 6, true),
            TopicCreator.topic(topics.responseRates(), 6, true),
            TopicCreator.topic(topics.influence(), 6, true),
            TopicCreator.topic(topics.decisionPatterns(), 6, true),
            TopicCreator.topic(topics.lateSubmissions(), 6, false)));
  }

  /** Runs until SIGTERM/Ctrl-C; configuration from the environment. */
  public static void main(String[] args) throws InterruptedException {
    ProcessorConfig config = ServiceMain.settingsOrExit(ProcessorConfig::fromEnvironment);
    ProcessorApp app = start(config);
    LOG.info(
        "Processor running: {} (k_min {}, rolling windows {} days, grace {} days, state {});"
            + " health and metrics at {}",
        config.applicationId(),
        config.kMin(),
        config.rollingWindowDays(),
        config.graceDays(),
        config.stateDir(),
        app.httpUrl());
    CountDownLatch closed = ServiceMain.closeOnShutdown(app, "processor-shutdown");
    app.awaitEnd();
    if (app.state() == KafkaStreams.State.ERROR) {
      // Exit instead of idling in ERROR, so a supervisor (systemd, Kubernetes) restarts it; the
      // committed state is consistent (exactly-once) and the restart resumes from it.
      LOG.error("The processor failed (see the error above); exiting with status 1");
      app.close();
      System.exit(1);
    }
    closed.await();
  }
}

package dev.chorus.processor;

import dev.chorus.contracts.ChorusTopics;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.processor.topology.ScoresTopology;
import dev.chorus.registry.RegistryClientConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The streams processor: runs the scores topology with exactly-once processing. */
public final class ProcessorApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorApp.class);

  private final KafkaStreams streams;

  private ProcessorApp(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The Kafka Streams settings Chorus runs with. */
  static Properties streamsProperties(ProcessorConfig config) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    // Nothing lost, nothing double-counted: state, outputs and input offsets commit atomically.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
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
    Map<String, Object> serde = new HashMap<>();
    serde.put(RegistryClientConfig.URL, config.schemaRegistryUrl());
    StreamsBuilder builder = new StreamsBuilder();
    ScoresTopology.build(builder, topics, new SmallCellPolicy(config.kMin()), serde);
    KafkaStreams streams = new KafkaStreams(builder.build(), streamsProperties(config));
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error(
              "Stream thread failed; stopping the processor (state is safe: exactly-once)", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Processor {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING
              || now == KafkaStreams.State.ERROR
              || now == KafkaStreams.State.NOT_RUNNING) {
            running.countDown();
          }
        });
    streams.start();
    try {
      if (!running.await(120, TimeUnit.SECONDS) || streams.state() != KafkaStreams.State.RUNNING) {
        streams.close(Duration.ofSeconds(10));
        throw new IllegalStateException(
            "The processor did not reach RUNNING (state " + streams.state() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the processor", e);
    }
    return new ProcessorApp(streams);
  }

  /** Current Kafka Streams state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }

  private static void ensureTopics(String bootstrap, ChorusTopics topics) {
    TopicCreator.ensure(
        bootstrap,
        List.of(
            TopicCreator.topic(topics.submissions(), 6, false),
            TopicCreator.topic(topics.instruments(), 1, true),
            TopicCreator.topic(topics.scaleScores(), 6, true)));
  }

  /** Runs until SIGTERM/Ctrl-C; configuration from the environment. */
  public static void main(String[] args) throws InterruptedException {
    ProcessorConfig config;
    try {
      config = ProcessorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ProcessorApp app = start(config);
    LOG.info(
        "Processor running: {} (k_min {}, state {})",
        config.applicationId(),
        config.kMin(),
        config.stateDir());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  stopped.countDown();
                },
                "processor-shutdown"));
    stopped.await();
  }
}

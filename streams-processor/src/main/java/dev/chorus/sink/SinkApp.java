package dev.chorus.sink;

import com.clickhouse.client.api.Client;
import dev.chorus.config.ServiceMain;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.ops.OpsServer;
import dev.chorus.processor.ProcessorApp;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroDeserializer;
import dev.chorus.serde.AvroSerdeConfig;
import dev.chorus.sink.SinkTables.Table;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse sink as its own process: applies migrations, then writes every processor output
 * topic (and the rejected-submissions topic) to ClickHouse; serves {@code /health} and {@code
 * /metrics}. Exits with status 1 when it stops on an error an operator must look at.
 */
public final class SinkApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkApp.class);

  private final ClickHouseSink sink;
  private final Thread thread;
  private final Client client;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final OpsServer http;
  private final CountDownLatch ended = new CountDownLatch(1);

  private SinkApp(
      ClickHouseSink sink,
      Client client,
      KafkaConsumer<String, byte[]> consumer,
      KafkaProducer<byte[], byte[]> deadLetters,
      OpsServer http) {
    this.sink = sink;
    this.client = client;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.http = http;
    this.thread =
        new Thread(
            () -> {
              try {
                sink.run();
              } finally {
                ended.countDown();
              }
            },
            "clickhouse-sink");
  }

  /** The official client for the configured server and user. */
  public static Client client(SinkConfig config) {
    return new Client.Builder()
        .addEndpoint(config.clickhouseUrl())
        .setUsername(config.clickhouseUser())
        .setPassword(config.clickhousePassword())
        .compressClientRequest(config.compress())
        .build();
  }

  /** Applies migrations (if enabled) and starts the sink. */
  public static SinkApp start(SinkConfig config) {
    ChorusTopics topics = new ChorusTopics(config.topicPrefix());
    ProcessorApp.ensureTopics(config.kafkaBootstrapServers(), topics);
    TopicCreator.ensure(
        config.kafkaBootstrapServers(),
        List.of(
            TopicCreator.topic(topics.rejected(), 6, false),
            TopicCreator.topic(config.deadLetterTopic(), 1, false)));
    Client client = client(config);
    if (config.migrate()) {
      Migrations.apply(client, config.target());
    }
    List<Table<?>> tables = SinkTables.all(topics);
    Map<String, Deserializer<?>> deserializers = new LinkedHashMap<>();
    for (Table<?> table : tables) {
      Map<String, Object> serde = new HashMap<>();
      serde.put(RegistryClientConfig.URL, config.schemaRegistryUrl());
      serde.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
      serde.put(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, table.type().getName());
      AvroDeserializer<Object> d = new AvroDeserializer<>();
      d.configure(serde, false);
      deserializers.put(table.topic(), d);
    }
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(config), new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> producer = new HashMap<>();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    producer.put(ProducerConfig.ACKS_CONFIG, "all");
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    KafkaProducer<byte[], byte[]> deadLetters =
        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new KafkaClientMetrics(consumer).bindTo(registry);
    ClickHouseSink sink =
        new ClickHouseSink(
            new ClickHouseSink.Settings(
                config.batchRows(),
                config.batchMaxAge(),
                config.maxBackoff(),
                config.deadLetterTopic()),
            client,
            config.database(),
            tables,
            deserializers,
            consumer,
            deadLetters,
            registry);
    OpsServer http =
        OpsServer.start(
            config.httpHost(),
            config.httpPort(),
            "CHORUS_SINK_HTTP_PORT",
            () -> {
              ClickHouseSink.State state = sink.state();
              return new OpsServer.Health(state == ClickHouseSink.State.RUNNING, state.name());
            },
            registry);
    SinkApp app = new SinkApp(sink, client, consumer, deadLetters, http);
    app.thread.start();
    return app;
  }

  /** Consumer settings: read only committed processor output, commit by hand after writes. */
  static Map<String, Object> consumerProperties(SinkConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    // The processor writes in transactions: never write rows of an aborted one.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Offsets are committed only after ClickHouse confirmed the rows.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(config.batchRows(), 10_000));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    return p;
  }

  /** Address of /health and /metrics. */
  public String httpUrl() {
    return http.url();
  }

  /** The write loop. */
  public ClickHouseSink sink() {
    return sink;
  }

  /** Blocks until the sink has stopped (closed or failed). */
  public void awaitEnd() throws InterruptedException {
    ended.await();
  }

  @Override
  public void close() {
    sink.close();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close();
    deadLetters.close();
    client.close();
    http.close();
  }

  /** Runs until SIGTERM/Ctrl-C; configuration from the environment. */
  public static void main(String[] args) throws InterruptedException {
    SinkConfig config = ServiceMain.settingsOrExit(SinkConfig::fromEnvironment);
    SinkApp app = start(config);
    LOG.info(
        "Sink running: topics with prefix {} -> {} at {} (batches of {} rows or {} ms);"
            + " health and metrics at {}",
        config.topicPrefix(),
        config.database(),
        config.clickhouseUrl(),
        config.batchRows(),
        config.batchMaxAge().toMillis(),
        app.httpUrl());
    CountDownLatch closed = ServiceMain.closeOnShutdown(app, "sink-shutdown");
    app.awaitEnd();
    if (app.sink().state() == ClickHouseSink.State.FAILED) {
      LOG.error("The sink stopped on an error (see above); exiting with status 1");
      System.exit(1);
    }
    closed.await();
  }
}

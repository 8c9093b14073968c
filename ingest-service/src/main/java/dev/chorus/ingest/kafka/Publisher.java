package dev.chorus.ingest.kafka;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.kafka.DistrictPartitions;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerdeConfig;
import dev.chorus.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The service's one Kafka producer: idempotent, {@code acks=all}, Avro values through the schema
 * registry. A record counts as accepted only when its callback reports success.
 */
public final class Publisher implements AutoCloseable {

  private final KafkaProducer<String, IndexedRecord> producer;
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  public Publisher(IngestConfig config) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "chorus-ingest");
    // Durability first: every replica in sync acknowledges, retries cannot duplicate or reorder.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Throughput: uploads arrive as bursts of small records.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Enough to keep Kafka busy; more only keeps records (and their callbacks) alive across GCs.
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
    // A record not acknowledged within the delivery timeout is reported as not accepted; send()
    // blocks at most that long when Kafka is unreachable.
    long timeout = Math.max(config.deliveryTimeout().toMillis(), 1_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, timeout - 20));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    Map<String, Object> serde = new HashMap<>();
    serde.put(RegistryClientConfig.URL, config.schemaRegistryUrl());
    AvroSerializer<IndexedRecord> values = new AvroSerializer<>();
    values.configure(serde, false);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), values);
  }

  /**
   * Sends a record; {@code callback} reports the acknowledgement or failure.
   *
   * @throws org.apache.kafka.common.KafkaException when the record cannot even be queued (Kafka
   *     unreachable for longer than the delivery timeout, serialization failure)
   */
  public Future<RecordMetadata> send(
      String topic, String key, IndexedRecord value, Callback callback) {
    return producer.send(new ProducerRecord<>(topic, key, value), callback);
  }

  /**
   * Sends a submission keyed by its school onto its district's partition ({@link
   * DistrictPartitions}), where the processor reads it without a repartition hop.
   *
   * @throws org.apache.kafka.common.KafkaException as {@link #send}
   */
  public Future<RecordMetadata> sendSubmission(
      String topic, SurveySubmission submission, Callback callback) {
    int partitions = partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
    return producer.send(
        new ProducerRecord<>(
            topic,
            DistrictPartitions.of(submission.getDistrictId(), partitions),
            submission.getSchoolId(),
            submission),
        callback);
  }

  /** Blocks until every record sent so far is acknowledged or failed. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** Serde properties for consumers of what this publisher writes. */
  public static Map<String, Object> serdeProperties(IngestConfig config) {
    Map<String, Object> props = new HashMap<>();
    props.put(RegistryClientConfig.URL, config.schemaRegistryUrl());
    props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    return props;
  }
}

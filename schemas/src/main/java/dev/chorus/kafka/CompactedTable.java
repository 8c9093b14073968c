package dev.chorus.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key/value table kept in a compacted Kafka topic: replayed fully at start, then followed in the
 * background so that several instances see each other's writes. Writes are acknowledged by Kafka
 * ({@code acks=all}) before they are visible here. {@code onChange} sees every applied entry,
 * possibly twice (once on the local write, once when it is read back): keep it idempotent.
 */
public final class CompactedTable<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompactedTable.class);

  private final String topic;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  private final KafkaProducer<String, V> producer;
  private final KafkaConsumer<String, V> consumer;
  private final Thread follower;
  private final BiConsumer<String, V> onChange;
  private volatile boolean running = true;

  public CompactedTable(
      String bootstrapServers,
      String topic,
      Serializer<V> serializer,
      Deserializer<V> deserializer,
      BiConsumer<String, V> onChange) {
    this.topic = topic;
    this.onChange = onChange;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.CLIENT_ID_CONFIG,
                "chorus-table-" + topic),
            new StringSerializer(),
            serializer);
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "chorus-table-" + topic + "-reader",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            deserializer);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    replayToEnd(partitions);
    this.follower = new Thread(this::follow, "table-" + topic);
    follower.setDaemon(true);
    follower.start();
  }

  /** The value of {@code key}, if any. */
  public Optional<V> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Every entry. */
  public Map<String, V> snapshot() {
    return Map.copyOf(values);
  }

  /** Writes {@code key}; returns once Kafka acknowledged it and it is visible here. */
  public void put(String key, V value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException(
          "Cannot write '" + key + "' to " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException(
          "Kafka did not acknowledge a write to " + topic + " in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("Interrupted writing " + topic, e);
    }
    apply(key, value);
  }

  private void replayToEnd(List<TopicPartition> partitions) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (partitions.stream()
        .anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
      for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
        apply(record.key(), record.value());
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaUnavailableException(
            "Replaying " + topic + " took longer than 2 minutes", null);
      }
    }
  }

  private void follow() {
    try {
      while (running) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record.key(), record.value());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error(
          "Following {} stopped; this instance no longer sees other instances' writes", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(String key, V value) {
    if (key == null) {
      return;
    }
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    onChange.accept(key, value);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      follower.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}

package dev.chorus.testkit;

import dev.chorus.kafka.TopicCreator;
import dev.chorus.registry.RegistryClientConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The infrastructure an integration test talks to: a real Kafka broker, a Confluent-compatible
 * schema registry and a real ClickHouse. Started once per test JVM by {@link ChorusStackExtension}.
 */
public interface ChorusStack extends AutoCloseable {

  /** Which implementation runs: {@code local} processes (default) or {@code containers}. */
  String kind();

  String kafkaBootstrapServers();

  String schemaRegistryUrl();

  /** ClickHouse HTTP base URL, e.g. {@code http://127.0.0.1:8123}. */
  String clickhouseHttpUrl();

  /** JDBC URL for the official v2 driver. */
  String clickhouseJdbcUrl();

  /** ClickHouse user the tests connect as. */
  default String clickhouseUser() {
    return "default";
  }

  /** ClickHouse password of {@link #clickhouseUser()}. */
  default String clickhousePassword() {
    return "";
  }

  /** Password of the sink's writer user ({@code chorus_writer}). */
  default String clickhouseWriterPassword() {
    return dev.chorus.local.clickhouse.ClickHouseUsers.LOCAL_WRITER_PASSWORD;
  }

  /** Password of the analyst users ({@code chorus_analyst}, {@code chorus_analyst_<district>}). */
  default String clickhouseAnalystPassword() {
    return dev.chorus.local.clickhouse.ClickHouseUsers.LOCAL_ANALYST_PASSWORD;
  }

  /** Stops ClickHouse keeping its data (an outage); only where {@link #supportsRestarts()}. */
  void stopClickHouse();

  /** Starts a stopped ClickHouse again with the same address and data. */
  void startClickHouse();

  /** Whether {@link #restartSchemaRegistry()} and Kafka outages can be simulated. */
  boolean supportsRestarts();

  /** Restarts the schema registry; its state must survive (it lives in Kafka). */
  void restartSchemaRegistry();

  /** Stops the Kafka broker, keeping its data. */
  void stopKafka();

  /** Starts a stopped Kafka broker again. */
  void startKafka();

  /** Client properties with the bootstrap servers set. */
  default Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
    return props;
  }

  /** Serde properties pointing at the registry. */
  default Map<String, Object> serdeProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(RegistryClientConfig.URL, schemaRegistryUrl());
    return props;
  }

  /** Creates a topic (no-op if it exists). */
  default void createTopic(String name, int partitions, boolean compacted) {
    TopicCreator.ensure(
        kafkaBootstrapServers(), List.of(TopicCreator.topic(name, partitions, compacted)));
  }

  @Override
  void close();
}

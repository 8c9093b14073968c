package dev.chorus.testkit;

import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The stack as containers (apache/kafka, Confluent Schema Registry, clickhouse-server), for
 * machines with Docker: {@code mvn verify -Dchorus.it.stack=containers}. Image versions can be
 * overridden with {@code -Dchorus.it.kafka.image=…} and the like.
 */
final class ContainersStack implements ChorusStack {

  private final Network network = Network.newNetwork();
  private final KafkaContainer kafka;
  private final GenericContainer<?> registry;
  private final ClickHouseContainer clickhouse;

  @SuppressWarnings("resource")
  ContainersStack() {
    kafka =
        new KafkaContainer(image("chorus.it.kafka.image", "apache/kafka:4.1.1"))
            .withNetwork(network)
            .withListener("kafka:19092");
    registry =
        new GenericContainer<>(
                image("chorus.it.registry.image", "confluentinc/cp-schema-registry:7.9.2"))
            .withNetwork(network)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200))
            .dependsOn(kafka);
    clickhouse =
        new ClickHouseContainer(
                image("chorus.it.clickhouse.image", "clickhouse/clickhouse-server:25.3"))
            // The same writer and analyst users as the local server, as a users.d overlay.
            .withCopyToContainer(
                org.testcontainers.images.builder.Transferable.of(
                    dev.chorus.local.clickhouse.ClickHouseUsers.overlay(
                        dev.chorus.local.LocalStackConfig.TEST_DISTRICTS)),
                "/etc/clickhouse-server/users.d/chorus.xml");
    kafka.start();
    registry.start();
    clickhouse.start();
  }

  private static DockerImageName image(String property, String fallback) {
    return DockerImageName.parse(System.getProperty(property, fallback));
  }

  @Override
  public String kind() {
    return "containers";
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
  }

  @Override
  public String clickhouseHttpUrl() {
    return "http://" + clickhouse.getHost() + ":" + clickhouse.getMappedPort(8123);
  }

  @Override
  public String clickhouseJdbcUrl() {
    return "jdbc:clickhouse://" + clickhouse.getHost() + ":" + clickhouse.getMappedPort(8123);
  }

  @Override
  public String clickhouseUser() {
    return clickhouse.getUsername();
  }

  @Override
  public String clickhousePassword() {
    return clickhouse.getPassword();
  }

  @Override
  public boolean supportsRestarts() {
    return false;
  }

  @Override
  public void restartSchemaRegistry() {
    throw new UnsupportedOperationException("restarts are simulated only with the local stack");
  }

  @Override
  public void stopKafka() {
    throw new UnsupportedOperationException(
        "Kafka outages are simulated only with the local stack");
  }

  @Override
  public void startKafka() {
    throw new UnsupportedOperationException(
        "Kafka outages are simulated only with the local stack");
  }

  @Override
  public void stopClickHouse() {
    throw new UnsupportedOperationException(
        "ClickHouse outages are simulated only with the local stack");
  }

  @Override
  public void startClickHouse() {
    throw new UnsupportedOperationException(
        "ClickHouse outages are simulated only with the local stack");
  }

  @Override
  public void close() {
    clickhouse.stop();
    registry.stop();
    kafka.stop();
    network.close();
  }
}

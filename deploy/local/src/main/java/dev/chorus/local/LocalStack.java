package dev.chorus.local;

import dev.chorus.local.clickhouse.ChdbEngine;
import dev.chorus.local.clickhouse.ClickHouseUsers;
import dev.chorus.local.clickhouse.LocalClickHouse;
import dev.chorus.local.kafka.KafkaBroker;
import dev.chorus.local.registry.EmbeddedSchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local infrastructure on loopback: Kafka, the embedded schema registry and ClickHouse. Used by
 * {@code ./chorus up} (through the launcher) and by the integration-test fixtures.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final KafkaBroker kafka;
  private EmbeddedSchemaRegistry registry;
  private LocalClickHouse clickhouse;
  private final LocalStackConfig config;

  private LocalStack(
      KafkaBroker kafka,
      EmbeddedSchemaRegistry registry,
      LocalClickHouse clickhouse,
      LocalStackConfig config) {
    this.kafka = kafka;
    this.registry = registry;
    this.clickhouse = clickhouse;
    this.config = config;
  }

  /** Starts every component; on failure, stops what had started and rethrows. */
  public static LocalStack start(LocalStackConfig config) {
    KafkaBroker kafka = null;
    EmbeddedSchemaRegistry registry = null;
    LocalClickHouse clickhouse = null;
    try {
      boolean localClickHouse = config.clickhouse() && config.externalClickhouse().isEmpty();
      // The engine download (first run only) is the slowest step: do it before starting anything.
      java.nio.file.Path engine =
          localClickHouse ? ChdbEngine.ensureInstalled(config.cacheDir()) : null;
      if (config.externalKafka().isEmpty()) {
        kafka =
            KafkaBroker.start(
                config.dataDir().resolve("kafka"),
                config.kafkaPort(),
                config.kafkaControllerPort());
      }
      if (config.externalRegistry().isEmpty()) {
        registry =
            EmbeddedSchemaRegistry.start(
                bootstrap(kafka, config),
                config.registryPort(),
                EmbeddedSchemaRegistry.DEFAULT_TOPIC);
      }
      if (engine != null) {
        java.nio.file.Path home = config.dataDir().resolve("clickhouse");
        clickhouse =
            LocalClickHouse.start(
                engine,
                home,
                config.clickhouseHttpPort(),
                config.clickhouseTcpPort(),
                ClickHouseUsers.write(home, config.analystDistricts()));
      }
      return new LocalStack(kafka, registry, clickhouse, config);
    } catch (RuntimeException e) {
      closeQuietly(clickhouse);
      closeQuietly(registry);
      closeQuietly(kafka);
      throw e;
    }
  }

  /** The local broker, or null when an external Kafka is used. */
  public KafkaBroker kafka() {
    return kafka;
  }

  /** Bootstrap servers of the Kafka in use (local or external). */
  public String kafkaBootstrapServers() {
    return bootstrap(kafka, config);
  }

  private static String bootstrap(KafkaBroker kafka, LocalStackConfig config) {
    return kafka != null ? kafka.bootstrapServers() : config.externalKafka();
  }

  /** URL of the schema registry in use (embedded or external). */
  public String registryUrl() {
    return registry != null ? registry.url() : config.externalRegistry();
  }

  /** HTTP URL of the ClickHouse in use (local or external), or null when there is none. */
  public String clickhouseHttpUrl() {
    if (clickhouse != null) {
      return clickhouse.httpUrl();
    }
    return config.externalClickhouse().isEmpty() ? null : config.externalClickhouse();
  }

  /** Whether ClickHouse is the local one (whose users Chorus writes). */
  public boolean clickhouseIsLocal() {
    return clickhouse != null;
  }

  public EmbeddedSchemaRegistry registry() {
    return registry;
  }

  /**
   * Stops the schema registry and starts a fresh one on the same port, which rebuilds its state
   * from Kafka: what a registry restart looks like to clients.
   */
  public synchronized EmbeddedSchemaRegistry restartRegistry() {
    int port = java.net.URI.create(registry.url()).getPort();
    registry.close();
    registry =
        EmbeddedSchemaRegistry.start(
            kafkaBootstrapServers(), port, EmbeddedSchemaRegistry.DEFAULT_TOPIC);
    return registry;
  }

  /** Stops ClickHouse (keeping its data): what an outage looks like to clients. */
  public synchronized void stopClickHouse() {
    clickhouse.close();
  }

  /** Starts a stopped ClickHouse again on the same ports with the same data and users. */
  public synchronized void startClickHouse() {
    clickhouse = clickhouse.restart();
  }

  /** The local ClickHouse, or null when started without it. */
  public LocalClickHouse clickhouse() {
    return clickhouse;
  }

  /** The addresses, as printed by {@code ./chorus up}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append("  Kafka            ")
        .append(kafkaBootstrapServers())
        .append(kafka == null ? "   (external)" : "")
        .append('\n');
    s.append("  Schema registry  ")
        .append(registryUrl())
        .append(registry == null ? "   (external)" : "")
        .append('\n');
    if (clickhouse == null && clickhouseHttpUrl() != null) {
      s.append("  ClickHouse       ").append(clickhouseHttpUrl()).append("   (external)\n");
    }
    if (clickhouse != null) {
      s.append("  ClickHouse HTTP  ").append(clickhouse.httpUrl()).append('\n');
      s.append("  ClickHouse TCP   127.0.0.1:").append(clickhouse.tcpPort()).append('\n');
      s.append("  ClickHouse JDBC  ").append(clickhouse.jdbcUrl()).append('\n');
    }
    return s.toString();
  }

  /** Stops everything, newest first. */
  @Override
  public void close() {
    closeQuietly(clickhouse);
    closeQuietly(registry);
    closeQuietly(kafka);
  }

  private static void closeQuietly(AutoCloseable component) {
    if (component == null) {
      return;
    }
    try {
      component.close();
    } catch (Exception e) {
      LOG.warn("Stopping {} failed", component.getClass().getSimpleName(), e);
    }
  }
}

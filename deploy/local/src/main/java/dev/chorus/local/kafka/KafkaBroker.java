package dev.chorus.local.kafka;

import dev.chorus.local.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) on 127.0.0.1, in this JVM. Its log
 * directory survives restarts, so a restarted broker keeps its topics. Internal Kafka API, wrapped
 * here and nowhere else.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  private KafkaBroker(Path dataDir, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Formats {@code dataDir} on first use and starts the broker; returns once it accepts requests.
   *
   * @param port client port, or 0 for a free one
   * @param controllerPort KRaft controller port, or 0 for a free one
   */
  public static KafkaBroker start(Path dataDir, int port, int controllerPort) {
    int clientPort = Ports.resolve(port);
    int quorumPort = Ports.resolve(controllerPort);
    for (int p : new int[] {clientPort, quorumPort}) {
      if (Ports.inUse(p)) {
        throw new IllegalStateException(
            "Kafka cannot start: port "
                + p
                + " on 127.0.0.1 is already in use (another Kafka or a previous ./chorus still running?)");
      }
    }
    KafkaBroker broker = new KafkaBroker(dataDir, clientPort, quorumPort);
    broker.startServer();
    return broker;
  }

  /** {@code host:port} for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** Whether the broker is currently running. */
  public synchronized boolean running() {
    return server != null;
  }

  /** Stops the broker, keeping its data, e.g. to test how clients cope with an outage. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    LOG.info("Stopping Kafka on {}", bootstrapServers());
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  /** Starts a stopped broker again on the same ports and data. */
  public synchronized void restart() {
    if (server == null) {
      startServer();
    }
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void startServer() {
    long started = System.nanoTime();
    Properties props = serverProperties();
    format(props);
    server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    server.startup();
    awaitReady();
    LOG.info(
        "Kafka ready on {} in {} ms (data {})",
        bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        dataDir);
  }

  private Properties serverProperties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    // A single broker: without replication factor 1 for the internal topics, consumer groups and
    // exactly-once Streams apps wait forever (REBALANCING with no error, or close() hangs).
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions: faster first start on a 2-core machine, plenty for one node.
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.num.partitions", "10");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are declared by the code that owns them, never created by a typo.
    p.put("auto.create.topics.enable", "false");
    return p;
  }

  private void format(Properties props) {
    try {
      Files.createDirectories(dataDir);
      Path config = dataDir.resolve("server.properties");
      try (var out = Files.newOutputStream(config)) {
        props.store(out, "Written by Chorus KafkaBroker; regenerated at every start");
      }
      Path clusterIdFile = dataDir.resolve("cluster.id");
      if (!Files.exists(clusterIdFile)) {
        Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
      }
      String clusterId = Files.readString(clusterIdFile).trim();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int rc;
      try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        rc =
            StorageTool.execute(
                new String[] {
                  "format",
                  "--config",
                  config.toString(),
                  "--cluster-id",
                  clusterId,
                  "--standalone",
                  "--ignore-formatted"
                },
                printer);
      }
      if (rc != 0) {
        throw new IllegalStateException(
            "Formatting Kafka storage in "
                + dataDir
                + " failed: "
                + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare Kafka data directory " + dataDir, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka on " + bootstrapServers() + " did not become ready within " + READY_TIMEOUT,
                e);
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
      }
    }
  }
}

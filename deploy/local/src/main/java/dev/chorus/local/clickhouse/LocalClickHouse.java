package dev.chorus.local.clickhouse;

import com.sun.jna.Native;
import dev.chorus.local.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, modern ClickHouse server (26.7, from {@link ChdbEngine}) on 127.0.0.1, running as its own
 * process with data kept under a directory of its own. Ready when {@code GET /ping} answers;
 * stopped by PID; exits by itself if this JVM dies.
 */
public final class LocalClickHouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalClickHouse.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Keeps clickhouse-local serving: an endless, cheap query. Query limits therefore belong in user
   * profiles, never in global settings, or they would end this query and stop the server.
   */
  private static final String SERVE_QUERY =
      "SYSTEM START LISTEN QUERIES ALL; SELECT sleepEachRow(3) FROM system.numbers "
          + "SETTINGS max_block_size=1, function_sleep_max_microseconds_per_block=0 FORMAT Null";

  private final Process process;
  private final int httpPort;
  private final int tcpPort;
  private final Path log;
  private final Path engine;
  private final Path home;
  private final Path usersConfig;

  private LocalClickHouse(
      Process process,
      int httpPort,
      int tcpPort,
      Path log,
      Path engine,
      Path home,
      Path usersConfig) {
    this.process = process;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
    this.log = log;
    this.engine = engine;
    this.home = home;
    this.usersConfig = usersConfig;
  }

  /** Stops this server if running and starts it again: same ports, data and users. */
  public LocalClickHouse restart() {
    close();
    return start(engine, home, httpPort, tcpPort, usersConfig);
  }

  /**
   * Starts ClickHouse with its data in {@code home/data} and its log in {@code
   * home/clickhouse.log}.
   *
   * @param httpPort HTTP port, or 0 for a free one
   * @param tcpPort native-protocol port, or 0 for a free one
   * @param usersConfig a ClickHouse config file (users, profiles), or null for the default user
   */
  public static LocalClickHouse start(
      Path engine, Path home, int httpPort, int tcpPort, Path usersConfig) {
    int http = Ports.resolve(httpPort);
    int tcp = Ports.resolve(tcpPort);
    for (int p : new int[] {http, tcp}) {
      if (Ports.inUse(p)) {
        throw new IllegalStateException(
            "ClickHouse cannot start: port " + p + " on 127.0.0.1 is already in use");
      }
    }
    Path data = home.resolve("data");
    Path log = home.resolve("clickhouse.log");
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create ClickHouse data directory " + data, e);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The child JVM only hosts the native engine: keep its own heap small.
    command.add("-Xmx64m");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(
        location(ChdbServerMain.class) + java.io.File.pathSeparator + location(Native.class));
    command.add(ChdbServerMain.class.getName());
    command.add(engine.toString());
    command.add("clickhouse");
    command.add("--path=" + data.toAbsolutePath());
    command.add("--listen_host=127.0.0.1");
    command.add("--http_port=" + http);
    command.add("--tcp_port=" + tcp);
    if (usersConfig != null) {
      command.add("--config-file=" + usersConfig.toAbsolutePath());
    }
    command.add("--multiquery");
    command.add("--query");
    command.add(SERVE_QUERY);
    long started = System.nanoTime();
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the ClickHouse process", e);
    }
    LocalClickHouse clickhouse =
        new LocalClickHouse(process, http, tcp, log, engine, home, usersConfig);
    try {
      clickhouse.awaitReady();
    } catch (RuntimeException e) {
      clickhouse.close();
      throw e;
    }
    LOG.info(
        "ClickHouse ready on {} (native port {}, pid {}) in {} ms, data in {}",
        clickhouse.httpUrl(),
        tcp,
        process.pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        data);
    return clickhouse;
  }

  /** HTTP interface, e.g. {@code http://127.0.0.1:8123}. */
  public String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** JDBC URL for the official v2 driver. */
  public String jdbcUrl() {
    return "jdbc:clickhouse://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int tcpPort() {
    return tcpPort;
  }

  /** The server's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the server process is alive. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Stops the server: SIGTERM, then SIGKILL if it has not exited in time. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn(
            "ClickHouse (pid {}) ignored SIGTERM for {}; killing it", process.pid(), STOP_TIMEOUT);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ping =
        HttpRequest.newBuilder(URI.create(httpUrl() + "/ping"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "ClickHouse exited with code "
                + process.exitValue()
                + " during start-up. Log "
                + log
                + ":\n"
                + tail());
      }
      try {
        HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().startsWith("Ok.")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for ClickHouse", e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for ClickHouse", e);
      }
    }
    throw new IllegalStateException(
        "ClickHouse did not answer "
            + httpUrl()
            + "/ping within "
            + READY_TIMEOUT
            + ". Log "
            + log
            + ":\n"
            + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the classpath entry of " + type.getName(), e);
    }
  }
}

package dev.chorus.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /health} (200 UP or 503 DOWN, JSON) and {@code GET /metrics} (Prometheus). */
public final class OpsServer implements AutoCloseable {

  /** A health answer: up or not, and a detail such as the current state. */
  public record Health(boolean up, String detail) {}

  private final HttpServer server;

  private OpsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving.
   *
   * @param portSetting the variable that sets the port, named in the error if it is taken
   */
  public static OpsServer start(
      String host,
      int port,
      String portSetting,
      Supplier<Health> health,
      PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
      server.createContext(
          "/health",
          exchange -> {
            Health h = health.get();
            respond(
                exchange,
                h.up() ? 200 : 503,
                "application/json",
                "{\"status\":\""
                    + (h.up() ? "UP" : "DOWN")
                    + "\",\"state\":\""
                    + h.detail()
                    + "\"}");
          });
      server.createContext(
          "/metrics",
          exchange ->
              respond(
                  exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
      server.start();
      return new OpsServer(server);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot serve /health and /metrics on "
              + host
              + ":"
              + port
              + " ("
              + portSetting
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8082}. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (!exchange.getRequestMethod().equals("GET")) {
      exchange.sendResponseHeaders(405, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

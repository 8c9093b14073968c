package dev.chorus.dashboard;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chorus.config.ServiceMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in dashboard: a read-only web page ({@code /}) and the JSON it draws from ({@code
 * /api/<query>}), answered from the ClickHouse analyst views as an analyst user. It holds no data
 * of its own and shows only what the views show (suppression already applied).
 */
public final class DashboardApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardApp.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{0,64}");
  private static final Map<String, String> STATIC =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");

  private final HttpServer server;
  private final Client client;

  private DashboardApp(HttpServer server, Client client) {
    this.server = server;
    this.client = client;
  }

  /** Starts serving. */
  public static DashboardApp start(DashboardConfig config) {
    Client client =
        new Client.Builder()
            .addEndpoint(config.clickhouseUrl())
            .setDefaultDatabase(config.reportingDatabase())
            .setUsername(config.user())
            .setPassword(config.password())
            .build();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 32);
    } catch (IOException e) {
      client.close();
      throw new IllegalStateException(
          "Cannot serve the dashboard on "
              + config.host()
              + ":"
              + config.port()
              + " (CHORUS_DASHBOARD_PORT): "
              + e.getMessage(),
          e);
    }
    DashboardApp app = new DashboardApp(server, client);
    String db = config.reportingDatabase();
    server.createContext("/api/", app::api);
    server.createContext("/", app::file);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    LOG.info("Dashboard on {} (reading {} as {})", app.url(), db, config.user());
    return app;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8084}. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  private void api(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring("/api/".length());
    String sql = DashboardQueries.SQL.get(name);
    if (sql == null || !exchange.getRequestMethod().equals("GET")) {
      send(exchange, 404, "application/json", "{\"error\":\"no such query: " + clean(name) + "\"}");
      return;
    }
    Map<String, Object> params = new HashMap<>();
    for (Map.Entry<String, String> p : query(exchange.getRequestURI().getRawQuery()).entrySet()) {
      if (!ID.matcher(p.getValue()).matches()) {
        send(
            exchange,
            400,
            "application/json",
            "{\"error\":\"bad value for " + clean(p.getKey()) + "\"}");
        return;
      }
      params.put(p.getKey(), p.getValue());
    }
    for (String needed : List.of("district", "cycle", "school")) {
      if (sql.contains("{" + needed + ":String}") && !params.containsKey(needed)) {
        send(exchange, 400, "application/json", "{\"error\":\"missing parameter " + needed + "\"}");
        return;
      }
    }
    try {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (GenericRecord r : client.queryAll(sql, params)) {
        Map<String, Object> row = new LinkedHashMap<>();
        r.getValues()
            .forEach(
                (k, v) ->
                    row.put(
                        k,
                        v instanceof TemporalAccessor || v instanceof java.math.BigInteger
                            ? v.toString()
                            : v));
        rows.add(row);
      }
      send(exchange, 200, "application/json", JSON.writeValueAsString(rows));
    } catch (RuntimeException e) {
      LOG.warn("Dashboard query {} failed: {}", name, e.getMessage());
      send(exchange, 502, "application/json", "{\"error\":\"ClickHouse is not answering\"}");
    }
  }

  private void file(HttpExchange exchange) throws IOException {
    String resource = STATIC.get(exchange.getRequestURI().getPath());
    if (resource == null) {
      send(exchange, 404, "text/plain", "not found");
      return;
    }
    try (InputStream in = DashboardApp.class.getResourceAsStream("static/" + resource)) {
      String type =
          resource.endsWith(".html")
              ? "text/html; charset=utf-8"
              : resource.endsWith(".js") ? "text/javascript" : "text/css";
      send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String clean(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "");
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }

  /** Runs until SIGTERM/Ctrl-C; configuration from the environment. */
  public static void main(String[] args) throws InterruptedException {
    DashboardConfig config = ServiceMain.settingsOrExit(DashboardConfig::fromEnvironment);
    DashboardApp app = start(config);
    CountDownLatch closed = ServiceMain.closeOnShutdown(app, "dashboard-shutdown");
    closed.await();
  }
}

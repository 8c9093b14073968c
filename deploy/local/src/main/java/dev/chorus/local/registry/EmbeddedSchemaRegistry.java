package dev.chorus.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chorus.local.Ports;
import dev.chorus.local.registry.SchemaStore.IncompatibleSchemaException;
import dev.chorus.local.registry.SchemaStore.StoreUnavailableException;
import dev.chorus.local.registry.SchemaStore.Version;
import dev.chorus.registry.CompatibilityLevel;
import dev.chorus.registry.SchemaRegistryClient;
import dev.chorus.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the Confluent REST API subset Chorus and Confluent's serializers use,
 * for the local run and the tests only (production points at a real Confluent-compatible registry).
 * Durable: state lives in a compacted Kafka topic, so ids survive restarts.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  /** Default topic holding the registry's state, as Confluent names it. */
  public static final String DEFAULT_TOPIC = "_schemas";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaStore store;
  private final HttpServer server;
  private final ExecutorService executor;

  private EmbeddedSchemaRegistry(SchemaStore store, HttpServer server, ExecutorService executor) {
    this.store = store;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Replays the state topic and starts serving on 127.0.0.1.
   *
   * @param port HTTP port, or 0 for a free one
   */
  public static EmbeddedSchemaRegistry start(String bootstrapServers, int port, String topic) {
    int httpPort = Ports.resolve(port);
    SchemaStore store = new SchemaStore(bootstrapServers, topic);
    HttpServer server;
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 64);
    } catch (IOException e) {
      store.close();
      throw new UncheckedIOException(
          "Schema registry cannot listen on 127.0.0.1:" + httpPort + " (port in use?)", e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "schema-registry-http");
              t.setDaemon(true);
              return t;
            });
    EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(store, server, executor);
    server.createContext("/", registry::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("Schema registry ready on {} (state in topic '{}')", registry.url(), topic);
    return registry;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:8081}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    store.close();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Response response;
      try {
        response = route(exchange.getRequestMethod(), segments(exchange), exchange);
      } catch (ApiError e) {
        response = error(e.status, e.code, e.getMessage());
      } catch (IncompatibleSchemaException e) {
        response = error(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA, e.getMessage());
      } catch (StoreUnavailableException e) {
        response =
            error(500, 50003, "Error while forwarding the request to the store: " + e.getMessage());
      } catch (RuntimeException e) {
        LOG.error(
            "Schema registry request {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e);
        response = error(500, 50001, "Error in the backend data store: " + e);
      }
      byte[] body = response.body().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      LOG.debug("Client went away during {}", exchange.getRequestURI(), e);
    }
  }

  private record Response(int status, JsonNode body) {}

  private static final class ApiError extends RuntimeException {
    final int status;
    final int code;

    ApiError(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private Response route(String method, List<String> path, HttpExchange exchange)
      throws IOException {
    String first = path.isEmpty() ? "" : path.get(0);
    switch (first) {
      case "" -> {
        return ok(JSON.createObjectNode());
      }
      case "subjects" -> {
        if (path.size() == 1 && method.equals("GET")) {
          ArrayNode subjects = JSON.createArrayNode();
          store.subjects().forEach(subjects::add);
          return ok(subjects);
        }
        String subject = path.size() > 1 ? path.get(1) : "";
        if (path.size() == 2 && method.equals("POST")) {
          return lookup(subject, readSchema(exchange));
        }
        if (path.size() == 3 && path.get(2).equals("versions")) {
          if (method.equals("POST")) {
            Version registered = store.register(subject, readSchema(exchange));
            return ok(JSON.createObjectNode().put("id", registered.id()));
          }
          if (method.equals("GET")) {
            List<Version> versions = existingVersions(subject);
            ArrayNode numbers = JSON.createArrayNode();
            versions.forEach(v -> numbers.add(v.version()));
            return ok(numbers);
          }
        }
        if (path.size() == 4 && path.get(2).equals("versions") && method.equals("GET")) {
          return ok(describe(version(subject, path.get(3))));
        }
      }
      case "schemas" -> {
        if (path.size() == 3 && path.get(1).equals("ids") && method.equals("GET")) {
          int id = parseInt(path.get(2), "schema id");
          Schema schema =
              store
                  .schemaById(id)
                  .orElseThrow(
                      () ->
                          new ApiError(
                              404,
                              SchemaRegistryException.SCHEMA_NOT_FOUND,
                              "Schema " + id + " not found"));
          return ok(JSON.createObjectNode().put("schema", schema.toString()));
        }
      }
      case "compatibility" -> {
        if (path.size() == 5
            && path.get(1).equals("subjects")
            && path.get(3).equals("versions")
            && method.equals("POST")) {
          String subject = path.get(2);
          Schema schema = readSchema(exchange);
          if (!path.get(4).equals("latest")) {
            version(subject, path.get(4));
          }
          List<String> problems = store.incompatibilities(subject, schema, true);
          ObjectNode body = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
          ArrayNode messages = body.putArray("messages");
          problems.forEach(messages::add);
          return ok(body);
        }
      }
      case "config" -> {
        String subject = path.size() == 2 ? path.get(1) : null;
        if (path.size() <= 2 && method.equals("GET")) {
          CompatibilityLevel level;
          if (subject == null) {
            level = store.globalCompatibility();
          } else {
            Optional<CompatibilityLevel> own = store.subjectCompatibility(subject);
            if (own.isEmpty() && !queryFlag(exchange, "defaultToGlobal")) {
              throw new ApiError(
                  404,
                  SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                  "Subject '" + subject + "' does not have subject-level compatibility configured");
            }
            level = own.orElse(store.globalCompatibility());
          }
          return ok(JSON.createObjectNode().put("compatibilityLevel", level.name()));
        }
        if (path.size() <= 2 && method.equals("PUT")) {
          JsonNode body = readJson(exchange);
          CompatibilityLevel level;
          try {
            level = CompatibilityLevel.parse(body.path("compatibility").asText(""));
          } catch (IllegalArgumentException e) {
            throw new ApiError(
                422,
                SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level: " + body.path("compatibility"));
          }
          store.setCompatibility(subject, level);
          return ok(JSON.createObjectNode().put("compatibility", level.name()));
        }
      }
      default -> {
        // fall through to 404
      }
    }
    throw new ApiError(404, 404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path));
  }

  private Response lookup(String subject, Schema schema) {
    existingVersions(subject);
    Version found =
        store
            .find(subject, schema)
            .orElseThrow(
                () ->
                    new ApiError(
                        404,
                        SchemaRegistryException.SCHEMA_NOT_FOUND,
                        "Schema not found under subject '" + subject + "'"));
    return ok(describe(found));
  }

  private List<Version> existingVersions(String subject) {
    List<Version> versions = store.versions(subject);
    if (versions.isEmpty()) {
      throw new ApiError(
          404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }
    return versions;
  }

  private Version version(String subject, String version) {
    List<Version> versions = existingVersions(subject);
    if (version.equals("latest") || version.equals("-1")) {
      return versions.get(versions.size() - 1);
    }
    int number = parseInt(version, "version");
    return versions.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(
            () ->
                new ApiError(
                    404,
                    SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found."));
  }

  private static ObjectNode describe(Version v) {
    return JSON.createObjectNode()
        .put("subject", v.subject())
        .put("version", v.version())
        .put("id", v.id())
        .put("schema", v.schema().toString());
  }

  private static Schema readSchema(HttpExchange exchange) throws IOException {
    JsonNode body = readJson(exchange);
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new ApiError(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Only AVRO schemas are supported, got " + type);
    }
    if (!body.path("schema").isTextual()) {
      throw new ApiError(
          422,
          SchemaRegistryException.INVALID_SCHEMA,
          "Request body needs a string field 'schema'");
    }
    try {
      return new Schema.Parser().parse(body.get("schema").asText());
    } catch (RuntimeException e) {
      // Avro 1.12 signals bad input with SchemaParseException, but also NPEs for unknown type
      // names.
      throw new ApiError(
          422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage());
    }
  }

  private static JsonNode readJson(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      JsonNode body = JSON.readTree(in);
      if (body == null || !body.isObject()) {
        throw new ApiError(400, 400, "Request body must be a JSON object");
      }
      return body;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ApiError(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static boolean queryFlag(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getQuery();
    return query != null && Arrays.asList(query.split("&")).contains(name + "=true");
  }

  private static List<String> segments(HttpExchange exchange) {
    return Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
        .toList();
  }

  private static int parseInt(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ApiError(422, 42202, "Invalid " + what + " '" + text + "'");
    }
  }

  private static Response ok(JsonNode body) {
    return new Response(200, body);
  }

  private static Response error(int status, int code, String message) {
    return new Response(
        status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }
}

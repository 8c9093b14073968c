package dev.chorus.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the Confluent Schema Registry REST API (the subset Chorus needs), with the caches a
 * serializer relies on: ids by (subject, schema), schemas by id, and latest versions for a TTL.
 * Works against Confluent Schema Registry, Redpanda, Karapace and Chorus's embedded registry.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

  /** Media type of the Confluent API. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final String authorization;
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, CachedLatest> latestBySubject = new ConcurrentHashMap<>();

  private record CachedLatest(RegisteredSchema schema, Instant expires) {}

  public SchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .version(HttpClient.Version.HTTP_1_1);
    if (config.sslContext() != null) {
      builder.sslContext(config.sslContext());
    }
    this.http = builder.build();
    this.authorization =
        config.userInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(config.userInfo().getBytes(StandardCharsets.UTF_8));
  }

  /** The first configured registry URL, for messages. */
  public URI baseUrl() {
    return config.urls().get(0);
  }

  /**
   * Registers {@code schema} under {@code subject} (or finds it if already there) and returns its
   * global id. Cached: a second call for the same pair makes no request.
   */
  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + '\u0000' + schema;
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    JsonNode response =
        call(
            "POST",
            "/subjects/" + encode(subject) + "/versions",
            schemaBody(schema),
            subject,
            null);
    int id = response.path("id").asInt();
    idsBySubjectAndSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  /**
   * Finds {@code schema} among the versions of {@code subject} without registering it.
   *
   * @throws SchemaRegistryException with code 40401 or 40403 when it is not registered
   */
  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    String cacheKey = subject + '\u0000' + schema;
    JsonNode response =
        call("POST", "/subjects/" + encode(subject), schemaBody(schema), subject, null);
    RegisteredSchema found = toRegistered(response, subject);
    idsBySubjectAndSchema.put(cacheKey, found.id());
    return found;
  }

  /** The schema with this global id. Cached forever: ids are immutable. */
  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode response = call("GET", "/schemas/ids/" + id, null, null, id);
    Schema schema = parse(response.path("schema").asText(), null, id);
    schemasById.put(id, schema);
    return schema;
  }

  /** The latest version of {@code subject}; cached for the configured TTL. */
  @Override
  public RegisteredSchema latest(String subject) {
    CachedLatest cached = latestBySubject.get(subject);
    if (cached != null && Instant.now().isBefore(cached.expires())) {
      return cached.schema();
    }
    RegisteredSchema latest = version(subject, "latest");
    latestBySubject.put(subject, new CachedLatest(latest, Instant.now().plus(config.latestTtl())));
    return latest;
  }

  /** One version of {@code subject} ({@code "latest"} or a number); not cached. */
  public RegisteredSchema version(String subject, String version) {
    JsonNode response =
        call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null, subject, null);
    RegisteredSchema found = toRegistered(response, subject);
    schemasById.putIfAbsent(found.id(), found.schema());
    return found;
  }

  /** Whether {@code schema} is compatible with the latest version of {@code subject}. */
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode response =
        call(
            "POST",
            "/compatibility/subjects/" + encode(subject) + "/versions/latest",
            schemaBody(schema),
            subject,
            null);
    return response.path("is_compatible").asBoolean(false);
  }

  /** Every subject the registry knows. */
  public List<String> subjects() {
    JsonNode response = call("GET", "/subjects", null, null, null);
    List<String> subjects = new ArrayList<>();
    response.forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /** The registry-wide compatibility level. */
  public CompatibilityLevel globalCompatibility() {
    JsonNode response = call("GET", "/config", null, null, null);
    return CompatibilityLevel.parse(response.path("compatibilityLevel").asText());
  }

  /** Sets the compatibility level of {@code subject}, or the global one when subject is null. */
  public void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    String path = subject == null ? "/config" : "/config/" + encode(subject);
    call("PUT", path, body, subject, null);
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private RegisteredSchema toRegistered(JsonNode response, String subject) {
    int id = response.path("id").asInt();
    return new RegisteredSchema(
        response.path("subject").asText(subject),
        response.path("version").asInt(),
        id,
        parse(response.path("schema").asText(), subject, id));
  }

  private Schema parse(String text, String subject, Integer id) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          where(baseUrl(), subject, id)
              + ": registry returned a schema that does not parse: "
              + e.getMessage(),
          200,
          SchemaRegistryException.INVALID_SCHEMA,
          e);
    }
  }

  private JsonNode call(String method, String path, JsonNode body, String subject, Integer id) {
    SchemaRegistryException unreachable = null;
    for (URI base : config.urls()) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(config.requestTimeout())
              .header("Accept", CONTENT_TYPE + ", application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body.toString()));
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        unreachable =
            new SchemaRegistryException(
                where(base, subject, id) + ": registry unreachable (" + e + ")",
                -1,
                SchemaRegistryException.UNREACHABLE,
                e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            where(base, subject, id) + ": interrupted", -1, SchemaRegistryException.UNREACHABLE, e);
      }
      return handle(base, method, path, response, subject, id);
    }
    throw unreachable;
  }

  private static JsonNode handle(
      URI base,
      String method,
      String path,
      HttpResponse<String> response,
      String subject,
      Integer id) {
    JsonNode json;
    try {
      json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    int status = response.statusCode();
    if (status / 100 == 2 && json != null) {
      return json;
    }
    int code = json != null && json.has("error_code") ? json.get("error_code").asInt() : status;
    String detail =
        json != null && json.has("message")
            ? json.get("message").asText()
            : abbreviate(response.body());
    String what =
        switch (code) {
          case SchemaRegistryException.SUBJECT_NOT_FOUND -> "subject not found";
          case SchemaRegistryException.VERSION_NOT_FOUND -> "version not found";
          case SchemaRegistryException.SCHEMA_NOT_FOUND -> "schema not found";
          case SchemaRegistryException.INCOMPATIBLE_SCHEMA -> "incompatible schema";
          case SchemaRegistryException.INVALID_SCHEMA -> "invalid schema";
          case 401, 403 -> "not authorized";
          default -> "HTTP " + status;
        };
    throw new SchemaRegistryException(
        where(base, subject, id)
            + ": "
            + method
            + " "
            + path
            + " failed, "
            + what
            + " (error "
            + code
            + "): "
            + detail,
        status,
        code,
        null);
  }

  private static String where(URI base, String subject, Integer id) {
    StringBuilder s = new StringBuilder("Schema registry ").append(base);
    if (subject != null) {
      s.append(", subject '").append(subject).append('\'');
    }
    if (id != null) {
      s.append(", schema id ").append(id);
    }
    return s.toString();
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

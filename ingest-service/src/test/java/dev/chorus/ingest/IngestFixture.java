package dev.chorus.ingest;

import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.ingest.http.Auth;
import dev.chorus.testkit.ChorusStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** Runs a real ingest service against the shared test stack, with two districts. */
final class IngestFixture implements AutoCloseable {

  static final String NORTH = "north";
  static final String SOUTH = "south";
  static final String NORTH_ADMIN = "north-admin-token-0123456789";
  static final String NORTH_SUBMIT = "north-submit-token-0123456789";
  static final String SOUTH_ADMIN = "south-admin-token-0123456789";
  static final String NORTH_SECRET = "north-pseudonymization-secret-0123456789";

  final IngestService service;
  final IngestConfig config;
  final String topicPrefix;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  IngestFixture(
      ChorusStack stack, Path dataDir, String topicPrefix, Map<String, String> overrides) {
    this.topicPrefix = topicPrefix;
    try {
      Files.createDirectories(dataDir);
      Path districts = dataDir.resolve("districts.yaml");
      Files.writeString(
          districts,
          """
          districts:
            north:
              secret: "%s"
              timezone: America/Chicago
              requests_per_minute: 100000
              tokens:
                - {name: admin, sha256: "%s", scopes: [submit, admin]}
                - {name: submit, sha256: "%s", scopes: [submit]}
            south:
              secret: "south-pseudonymization-secret-0123456789"
              requests_per_minute: 3
              tokens:
                - {name: admin, sha256: "%s", scopes: [submit, admin]}
          """
              .formatted(NORTH_SECRET, hash(NORTH_ADMIN), hash(NORTH_SUBMIT), hash(SOUTH_ADMIN)));
      Map<String, String> env = new HashMap<>();
      env.put("CHORUS_INGEST_PORT", "0");
      env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
      env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
      env.put("CHORUS_TOPIC_PREFIX", topicPrefix);
      env.put("CHORUS_INGEST_DATA_DIR", dataDir.toString());
      env.put("CHORUS_DISTRICTS_FILE", districts.toString());
      env.putAll(overrides);
      this.config = IngestConfig.fromEnvironment(env);
      this.service = IngestService.start(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hash(String token) {
    return HexFormat.of().formatHex(Auth.sha256(token));
  }

  String url(String path) {
    return "http://127.0.0.1:" + service.port() + path;
  }

  HttpResponse<String> send(
      String method,
      String path,
      String token,
      String contentType,
      String body,
      Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(120))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> send(
      String method, String path, String token, String contentType, String body) {
    return send(method, path, token, contentType, body, Map.of());
  }

  /** The status code of a request. */
  int status(String method, String path, String token, String contentType, String body) {
    return send(method, path, token, contentType, body).statusCode();
  }

  /** Registers the district's schools (needed before anything validates). */
  void schools(String district, String token, String... ids) {
    StringBuilder body = new StringBuilder("{\"schools\": [");
    for (int i = 0; i < ids.length; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"id\": \"")
          .append(ids[i])
          .append("\", \"name\": \"School ")
          .append(ids[i])
          .append("\"}");
    }
    var response =
        send(
            "PUT",
            "/v1/districts/" + district + "/schools",
            token,
            "application/json",
            body.append("]}").toString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "PUT schools failed: " + response.statusCode() + " " + response.body());
    }
  }

  @Override
  public void close() {
    service.close();
  }
}

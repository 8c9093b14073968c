package dev.chorus.ingest.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.contracts.ChorusTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the ingest service, in one typed place: defaults, environment-variable
 * overrides, validation (start-up fails naming the bad key) and documentation ({@link #SETTINGS} is
 * rendered into docs/operators.md by a test that keeps the two in sync).
 */
public record IngestConfig(
    String host,
    int port,
    String kafkaBootstrapServers,
    String schemaRegistryUrl,
    String topicPrefix,
    Path dataDir,
    long maxUploadBytes,
    long maxJsonBytes,
    int receiptInlineRejections,
    Duration deliveryTimeout,
    Map<String, DistrictSettings> districts) {

  /** One documented setting. */
  public record Setting(String env, String defaultValue, String doc) {}

  public static final Setting HOST =
      new Setting("CHORUS_INGEST_HOST", "127.0.0.1", "interface the HTTP server binds to");
  public static final Setting PORT = new Setting("CHORUS_INGEST_PORT", "8080", "HTTP port");
  public static final Setting KAFKA =
      new Setting("CHORUS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "Kafka bootstrap servers");
  public static final Setting REGISTRY =
      new Setting(
          "CHORUS_SCHEMA_REGISTRY_URL",
          "http://127.0.0.1:8081",
          "Confluent-compatible schema registry URL(s)");
  public static final Setting TOPIC_PREFIX =
      new Setting("CHORUS_TOPIC_PREFIX", "chorus.", "prefix of every Chorus topic name");
  public static final Setting DATA_DIR =
      new Setting(
          "CHORUS_INGEST_DATA_DIR", ".chorus-data/ingest", "receipts and idempotency records");
  public static final Setting MAX_UPLOAD =
      new Setting(
          "CHORUS_MAX_UPLOAD_BYTES", "4294967296", "largest CSV upload accepted (413 above)");
  public static final Setting MAX_JSON =
      new Setting(
          "CHORUS_MAX_JSON_BYTES",
          "67108864",
          "largest JSON body accepted (413 above); NDJSON is streamed and counted likewise");
  public static final Setting INLINE_REJECTIONS =
      new Setting(
          "CHORUS_RECEIPT_INLINE_REJECTIONS",
          "100",
          "rejected rows listed inline in a receipt; all are at GET /v1/uploads/{id}/rejections");
  public static final Setting DELIVERY_TIMEOUT =
      new Setting(
          "CHORUS_DELIVERY_TIMEOUT_MS",
          "30000",
          "how long a record may wait for Kafka's acknowledgement before it counts as not accepted");
  public static final Setting DISTRICTS =
      new Setting(
          "CHORUS_DISTRICTS_FILE",
          "",
          "YAML/JSON file with each district's secret, timezone, tokens and rate limit (required)");

  /** Every setting, in documentation order. */
  public static final List<Setting> SETTINGS =
      List.of(
          HOST,
          PORT,
          KAFKA,
          REGISTRY,
          TOPIC_PREFIX,
          DATA_DIR,
          MAX_UPLOAD,
          MAX_JSON,
          INLINE_REJECTIONS,
          DELIVERY_TIMEOUT,
          DISTRICTS);

  /**
   * Reads the configuration from environment variables (or system properties of the same name,
   * which win, for tests and the local launcher).
   *
   * @throws IllegalArgumentException listing every bad setting by name
   */
  public static IngestConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    Function<Setting, String> raw =
        s -> {
          String value = env.get(s.env());
          return value == null || value.isBlank() ? s.defaultValue() : value.trim();
        };
    Function<Setting, Long> number =
        s -> {
          try {
            long value = Long.parseLong(raw.apply(s));
            if (value < 0) {
              throw new NumberFormatException();
            }
            return value;
          } catch (NumberFormatException e) {
            problems.add(
                s.env() + " must be a non-negative whole number, got '" + raw.apply(s) + "'");
            return 0L;
          }
        };
    long port = number.apply(PORT);
    if (port > 65535) {
      problems.add(PORT.env() + " must be a port 0..65535, got " + port);
    }
    Map<String, DistrictSettings> districts = Map.of();
    String districtsFile = raw.apply(DISTRICTS);
    if (districtsFile.isEmpty()) {
      problems.add(
          DISTRICTS.env()
              + " is required: a file naming each district's secret and tokens (see docs/operators.md)");
    } else {
      try {
        districts = readDistricts(Path.of(districtsFile), env);
      } catch (IllegalArgumentException e) {
        problems.add(DISTRICTS.env() + " (" + districtsFile + "): " + e.getMessage());
      }
    }
    IngestConfig config =
        new IngestConfig(
            raw.apply(HOST),
            (int) port,
            raw.apply(KAFKA),
            raw.apply(REGISTRY),
            raw.apply(TOPIC_PREFIX),
            Path.of(raw.apply(DATA_DIR)).toAbsolutePath(),
            number.apply(MAX_UPLOAD),
            number.apply(MAX_JSON),
            number.apply(INLINE_REJECTIONS).intValue(),
            Duration.ofMillis(number.apply(DELIVERY_TIMEOUT)),
            districts);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid ingest configuration:\n  - " + String.join("\n  - ", problems));
    }
    return config;
  }

  /** A copy with other districts (tests). */
  public IngestConfig withDistricts(Map<String, DistrictSettings> replacement) {
    return new IngestConfig(
        host,
        port,
        kafkaBootstrapServers,
        schemaRegistryUrl,
        topicPrefix,
        dataDir,
        maxUploadBytes,
        maxJsonBytes,
        receiptInlineRejections,
        deliveryTimeout,
        replacement);
  }

  /**
   * Parses the districts file:
   *
   * <pre>
   * districts:
   *   springfield:
   *     secret_env: SPRINGFIELD_SECRET   # or secret: "..." (at least 32 characters)
   *     timezone: America/Chicago
   *     requests_per_minute: 600
   *     tokens:
   *       - name: data-team
   *         sha256: 9f86d08...          # hex SHA-256 of the bearer token
   *         scopes: [submit, admin]
   * </pre>
   */
  static Map<String, DistrictSettings> readDistricts(Path file, Map<String, String> env) {
    JsonNode root;
    try {
      root =
          new ObjectMapper(new YAMLFactory())
              .readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.path("districts").isObject() || root.path("districts").isEmpty()) {
      throw new IllegalArgumentException("needs a 'districts' map with at least one district");
    }
    Map<String, DistrictSettings> districts = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    root.path("districts")
        .fields()
        .forEachRemaining(
            entry -> {
              String id = entry.getKey();
              JsonNode d = entry.getValue();
              String where = "district '" + id + "'";
              String secret = d.path("secret").asText(null);
              if (d.hasNonNull("secret_env")) {
                secret = env.get(d.get("secret_env").asText());
                if (secret == null) {
                  problems.add(
                      where
                          + ": environment variable "
                          + d.get("secret_env").asText()
                          + " is not set");
                }
              }
              if (secret != null && secret.length() < 32) {
                problems.add(
                    where + ": the pseudonymization secret must have at least 32 characters");
              }
              if (secret == null && !d.hasNonNull("secret_env")) {
                problems.add(where + ": needs 'secret' or 'secret_env'");
              }
              ZoneId zone = ZoneId.of("UTC");
              try {
                zone = ZoneId.of(d.path("timezone").asText("UTC"));
              } catch (DateTimeException e) {
                problems.add(where + ": unknown timezone '" + d.path("timezone").asText() + "'");
              }
              List<DistrictSettings.Token> tokens = new ArrayList<>();
              for (JsonNode t : d.path("tokens")) {
                String name = t.path("name").asText("unnamed");
                byte[] hash;
                try {
                  hash = HexFormat.of().parseHex(t.path("sha256").asText(""));
                } catch (IllegalArgumentException e) {
                  hash = new byte[0];
                }
                if (hash.length != 32) {
                  problems.add(where + ", token '" + name + "': sha256 must be 64 hex characters");
                }
                Set<DistrictSettings.Scope> scopes = EnumSet.noneOf(DistrictSettings.Scope.class);
                for (JsonNode s : t.path("scopes")) {
                  try {
                    scopes.add(DistrictSettings.Scope.valueOf(s.asText().toUpperCase(Locale.ROOT)));
                  } catch (IllegalArgumentException e) {
                    problems.add(
                        where
                            + ", token '"
                            + name
                            + "': unknown scope '"
                            + s.asText()
                            + "' (submit, admin)");
                  }
                }
                tokens.add(new DistrictSettings.Token(name, hash, scopes));
              }
              int rate = d.path("requests_per_minute").asInt(600);
              if (rate < 1) {
                problems.add(where + ": requests_per_minute must be at least 1");
              }
              districts.put(
                  id,
                  new DistrictSettings(
                      id,
                      secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8),
                      zone,
                      List.copyOf(tokens),
                      rate));
            });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return Map.copyOf(districts);
  }

  /** The topic names, derived from the prefix. */
  public ChorusTopics topics() {
    return new ChorusTopics(topicPrefix);
  }
}

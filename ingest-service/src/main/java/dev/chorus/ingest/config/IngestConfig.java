package dev.chorus.ingest.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.config.EnvSettings;
import dev.chorus.config.EnvSettings.Setting;
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

  public static final Setting HOST =
      new Setting("CHORUS_INGEST_HOST", "127.0.0.1", "interface the HTTP server binds to");
  public static final Setting PORT = new Setting("CHORUS_INGEST_PORT", "8080", "HTTP port");
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

  /** Every setting, in documentation order (Kafka, registry and topic prefix are shared). */
  public static final List<Setting> SETTINGS =
      EnvSettings.concat(
          List.of(HOST, PORT),
          EnvSettings.concat(
                  EnvSettings.KAFKA,
                  DATA_DIR,
                  MAX_UPLOAD,
                  MAX_JSON,
                  INLINE_REJECTIONS,
                  DELIVERY_TIMEOUT,
                  DISTRICTS)
              .toArray(Setting[]::new));

  /**
   * Reads the configuration from environment variables ({@link
   * dev.chorus.config.ServiceMain#environment}).
   *
   * @throws IllegalArgumentException listing every bad setting by name
   */
  public static IngestConfig fromEnvironment(Map<String, String> env) {
    EnvSettings r = new EnvSettings(SETTINGS, env);
    Map<String, DistrictSettings> districts = Map.of();
    String districtsFile = r.text(DISTRICTS.env());
    if (districtsFile.isEmpty()) {
      r.problem(
          DISTRICTS.env()
              + " is required: a file naming each district's secret and tokens (see docs/operators.md)");
    } else {
      try {
        districts = readDistricts(Path.of(districtsFile), env);
      } catch (IllegalArgumentException e) {
        r.problem(DISTRICTS.env() + " (" + districtsFile + "): " + e.getMessage());
      }
    }
    IngestConfig config =
        new IngestConfig(
            r.text(HOST.env()),
            r.port(PORT.env()),
            r.text("CHORUS_KAFKA_BOOTSTRAP_SERVERS"),
            r.text("CHORUS_SCHEMA_REGISTRY_URL"),
            r.text("CHORUS_TOPIC_PREFIX"),
            Path.of(r.text(DATA_DIR.env())).toAbsolutePath(),
            r.longNumber(MAX_UPLOAD.env(), 0, ""),
            r.longNumber(MAX_JSON.env(), 0, ""),
            r.number(INLINE_REJECTIONS.env(), 0, ""),
            Duration.ofMillis(r.longNumber(DELIVERY_TIMEOUT.env(), 0, "")),
            districts);
    r.validate("ingest");
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

package dev.chorus.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.kafka.CompactedTable;
import dev.chorus.kafka.KafkaUnavailableException;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.registry.CompatibilityLevel;
import dev.chorus.registry.SchemaCompatibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's state, kept durable the way Confluent keeps it: every registration and config
 * change is a record on a compacted, single-partition Kafka topic (same key/value JSON layout as
 * Confluent's {@code _schemas}), replayed at start-up through a {@link CompactedTable}. A single
 * writer is assumed (one embedded registry per cluster).
 */
final class SchemaStore implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One registered version of a subject. */
  record Version(String subject, int version, int id, Schema schema) {}

  private final CompactedTable<String> log;
  private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
  private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
  private int maxId;

  SchemaStore(String bootstrapServers, String topic) {
    ensureTopic(bootstrapServers, topic);
    this.log =
        new CompactedTable<>(
            bootstrapServers,
            topic,
            new StringSerializer(),
            new StringDeserializer(),
            (key, value) -> {
              if (value != null) {
                apply(readJson(key), readJson(value));
              }
            });
  }

  synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  synchronized List<Version> versions(String subject) {
    TreeMap<Integer, Version> versions = subjects.get(subject);
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  synchronized Optional<Schema> schemaById(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  synchronized Optional<Version> find(String subject, Schema schema) {
    return versions(subject).stream().filter(v -> v.schema().equals(schema)).findFirst();
  }

  synchronized CompatibilityLevel globalCompatibility() {
    return globalCompatibility;
  }

  synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
    return Optional.ofNullable(subjectCompatibility.get(subject));
  }

  synchronized CompatibilityLevel effectiveCompatibility(String subject) {
    return subjectCompatibility.getOrDefault(subject, globalCompatibility);
  }

  /** Problems that registering {@code schema} under {@code subject} would have; empty if none. */
  synchronized List<String> incompatibilities(String subject, Schema schema, boolean latestOnly) {
    List<Schema> earlier = versions(subject).stream().map(Version::schema).toList();
    CompatibilityLevel level = effectiveCompatibility(subject);
    if (latestOnly && !earlier.isEmpty()) {
      earlier = List.of(earlier.get(earlier.size() - 1));
    }
    return SchemaCompatibility.check(level, schema, earlier);
  }

  /**
   * Registers {@code schema} under {@code subject}; returns the existing version when the same
   * schema is already there.
   *
   * @throws IncompatibleSchemaException when the subject's compatibility level forbids it
   */
  synchronized Version register(String subject, Schema schema) {
    Optional<Version> existing = find(subject, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    List<String> problems = incompatibilities(subject, schema, false);
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "' ("
              + effectiveCompatibility(subject)
              + "): "
              + String.join("; ", problems));
    }
    int id = idsBySchema.getOrDefault(schema.toString(), maxId + 1);
    TreeMap<Integer, Version> versions = subjects.get(subject);
    int version = versions == null ? 1 : versions.lastKey() + 1;
    ObjectNode key =
        JSON.createObjectNode()
            .put("keytype", "SCHEMA")
            .put("subject", subject)
            .put("version", version)
            .put("magic", 1);
    ObjectNode value =
        JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema.toString())
            .put("deleted", false);
    write(key, value);
    return find(subject, schema).orElseThrow();
  }

  /** Sets the compatibility level of a subject, or the global level when subject is null. */
  synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
    key.put("subject", subject);
    write(key, JSON.createObjectNode().put("compatibilityLevel", level.name()));
  }

  @Override
  public void close() {
    log.close();
  }

  private void write(ObjectNode key, ObjectNode value) {
    try {
      log.put(key.toString(), value.toString());
    } catch (KafkaUnavailableException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }

  private synchronized void apply(JsonNode key, JsonNode value) {
    String keytype = key.path("keytype").asText();
    if ("CONFIG".equals(keytype)) {
      CompatibilityLevel level =
          CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
      if (key.path("subject").isTextual()) {
        subjectCompatibility.put(key.get("subject").asText(), level);
      } else {
        globalCompatibility = level;
      }
      return;
    }
    if (!"SCHEMA".equals(keytype) || value.path("deleted").asBoolean(false)) {
      return;
    }
    Schema schema = new Schema.Parser().parse(value.path("schema").asText());
    Version version =
        new Version(
            value.path("subject").asText(),
            value.path("version").asInt(),
            value.path("id").asInt(),
            schema);
    subjects
        .computeIfAbsent(version.subject(), s -> new TreeMap<>())
        .put(version.version(), version);
    schemasById.put(version.id(), schema);
    idsBySchema.put(schema.toString(), version.id());
    maxId = Math.max(maxId, version.id());
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("Schema topic holds a record that is not JSON: " + text, e);
    }
  }

  private static void ensureTopic(String bootstrapServers, String topic) {
    try {
      TopicCreator.ensure(bootstrapServers, List.of(TopicCreator.topic(topic, 1, true)));
    } catch (KafkaUnavailableException e) {
      throw new StoreUnavailableException(e.getMessage(), e);
    }
  }

  /** The subject's compatibility rules reject a schema. */
  static final class IncompatibleSchemaException extends RuntimeException {
    IncompatibleSchemaException(String message) {
      super(message);
    }
  }

  /** Kafka, which holds the registry's state, is not reachable. */
  static final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package dev.chorus.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for unit tests of serdes and topologies ({@code TopologyTestDriver})
 * only, selected with a {@code mock://scope} URL as with Confluent's serializers. Integration tests
 * and real runs use {@link SchemaRegistryClient} against a real registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

  /** URL scheme selecting an in-memory registry. */
  public static final String SCHEME = "mock://";

  private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<String, List<RegisteredSchema>> subjects = new HashMap<>();
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private int nextId;

  /** An empty registry whose ids start at {@code firstId}. */
  public InMemorySchemaRegistry(int firstId) {
    this.nextId = firstId;
  }

  /** The shared registry of a {@code mock://scope} URL. */
  public static InMemorySchemaRegistry scope(String url) {
    return SCOPES.computeIfAbsent(url, u -> new InMemorySchemaRegistry(1));
  }

  /** Forgets a {@code mock://scope} registry, e.g. between tests. */
  public static void dropScope(String url) {
    SCOPES.remove(url);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    for (RegisteredSchema v : versions) {
      if (v.schema().equals(schema)) {
        return v.id();
      }
    }
    int id = idBySchema.computeIfAbsent(schema, s -> nextId++);
    byId.put(id, schema);
    versions.add(new RegisteredSchema(subject, versions.size() + 1, id, schema));
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    return versions(subject).stream()
        .filter(v -> v.schema().equals(schema))
        .findFirst()
        .orElseThrow(
            () ->
                notFound(
                    "schema not registered under subject '" + subject + "'",
                    SchemaRegistryException.SCHEMA_NOT_FOUND));
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw notFound("schema id " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    List<RegisteredSchema> versions = versions(subject);
    return versions.get(versions.size() - 1);
  }

  private List<RegisteredSchema> versions(String subject) {
    List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw notFound(
          "subject '" + subject + "' not found", SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    return versions;
  }

  private static SchemaRegistryException notFound(String what, int code) {
    return new SchemaRegistryException("In-memory schema registry: " + what, 404, code, null);
  }
}

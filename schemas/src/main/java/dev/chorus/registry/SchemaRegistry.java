package dev.chorus.registry;

import org.apache.avro.Schema;

/** The registry operations the Avro serde needs. */
public interface SchemaRegistry {

  /** Registers (or finds) {@code schema} under {@code subject}; returns its global id. */
  int register(String subject, Schema schema);

  /** Finds {@code schema} under {@code subject} without registering it. */
  RegisteredSchema lookup(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);

  /** The latest version of {@code subject}. */
  RegisteredSchema latest(String subject);
}

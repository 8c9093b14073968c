package dev.chorus.registry;

import java.util.Locale;

/** Confluent Schema Registry compatibility levels. */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /** Parses a level name case-insensitively; throws IllegalArgumentException naming the input. */
  public static CompatibilityLevel parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("Unknown compatibility level '" + name + "'", e);
    }
  }

  /** Whether new schemas must be able to read data written with older ones. */
  public boolean checksBackward() {
    return this != NONE && this != FORWARD && this != FORWARD_TRANSITIVE;
  }

  /** Whether older schemas must be able to read data written with new ones. */
  public boolean checksForward() {
    return this != NONE && this != BACKWARD && this != BACKWARD_TRANSITIVE;
  }

  /** Whether the check runs against every earlier version rather than only the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }
}

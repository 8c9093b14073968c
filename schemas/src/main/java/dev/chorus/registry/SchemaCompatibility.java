package dev.chorus.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Confluent-style compatibility rules on top of Avro's reader/writer resolution: one place used by
 * the embedded registry and by the build's schema-evolution check.
 */
public final class SchemaCompatibility {

  private SchemaCompatibility() {}

  /**
   * Checks {@code candidate} against {@code earlier} (oldest first) under {@code level}.
   *
   * @return human-readable incompatibilities; empty when compatible
   */
  public static List<String> check(
      CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
    List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
      return problems;
    }
    List<Schema> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
    for (Schema previous : against) {
      if (level.checksBackward()) {
        describe(
            problems, "new schema cannot read data written by an earlier one", candidate, previous);
      }
      if (level.checksForward()) {
        describe(
            problems,
            "an earlier schema cannot read data written by the new one",
            previous,
            candidate);
      }
    }
    return problems;
  }

  private static void describe(List<String> problems, String what, Schema reader, Schema writer) {
    var result = org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      result
          .getResult()
          .getIncompatibilities()
          .forEach(
              i ->
                  problems.add(
                      what
                          + ": "
                          + i.getType()
                          + " at "
                          + i.getLocation()
                          + " ("
                          + i.getMessage()
                          + ")"));
    }
  }
}

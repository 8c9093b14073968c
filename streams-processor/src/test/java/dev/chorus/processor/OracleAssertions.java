package dev.chorus.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/** Compares streamed metric state with the batch oracle, for topology and broker tests alike. */
public final class OracleAssertions {

  private OracleAssertions() {}

  /** A record without its version and computed_at, which depend on when it was published. */
  public static SpecificRecordBase content(SpecificRecordBase record) {
    SpecificRecordBase copy =
        (SpecificRecordBase)
            SpecificData.getForSchema(record.getSchema()).deepCopy(record.getSchema(), record);
    copy.put("version", 0L);
    copy.put("computed_at", Instant.EPOCH);
    return copy;
  }

  /** Whether the streamed state of one topic equals the oracle's. */
  public static boolean matches(
      Map<String, ? extends SpecificRecordBase> streamed,
      Map<String, SpecificRecordBase> expected) {
    if (!streamed.keySet().equals(expected.keySet())) {
      return false;
    }
    return expected.entrySet().stream()
        .allMatch(e -> content(streamed.get(e.getKey())).equals(e.getValue()));
  }

  /** Asserts equality of one topic's state, key by key, naming the first difference. */
  public static void assertMatches(
      String topic,
      Map<String, ? extends SpecificRecordBase> streamed,
      Map<String, SpecificRecordBase> expected) {
    assertThat(new TreeMap<>(streamed).keySet())
        .as("keys of %s", topic)
        .containsExactlyElementsOf(new TreeMap<>(expected).keySet());
    expected.forEach(
        (key, record) ->
            assertThat(content(streamed.get(key)).toString())
                .as("%s %s", topic, key)
                .isEqualTo(record.toString()));
  }
}

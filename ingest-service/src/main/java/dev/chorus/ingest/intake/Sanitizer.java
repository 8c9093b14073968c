package dev.chorus.ingest.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Makes a rejected row's raw content safe to keep on the dead-letter topic: the respondent
 * identifier becomes its respondent key, free text and ignored columns (names, IP addresses) are
 * removed, values are capped, and spreadsheet formulas ({@code =HYPERLINK(…)}) are made inert by a
 * leading apostrophe, so opening an export of the dead letters in a spreadsheet runs nothing.
 */
public final class Sanitizer {

  /** Longest value kept per field. */
  public static final int MAX_VALUE = 1_000;

  private Sanitizer() {}

  /**
   * @param identifierField the field holding the respondent identifier, or null
   * @param respondentKey its pseudonym, or null
   * @param dropped fields never kept
   */
  public static Map<String, String> sanitize(
      Map<String, String> raw, String identifierField, String respondentKey, Set<String> dropped) {
    Map<String, String> clean = new LinkedHashMap<>();
    for (var entry : raw.entrySet()) {
      String field = entry.getKey();
      if (dropped.contains(field)) {
        continue;
      }
      if (field.equals(identifierField)) {
        if (respondentKey != null) {
          clean.put(field, "respondent_key:" + respondentKey);
        }
        continue;
      }
      clean.put(field, inert(entry.getValue() == null ? "" : entry.getValue()));
    }
    return clean;
  }

  /** {@code value} capped and with any formula trigger neutralized. */
  public static String inert(String value) {
    String capped = value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "…" : value;
    if (!capped.isEmpty() && "=+-@\t\r".indexOf(capped.charAt(0)) >= 0) {
      return "'" + capped;
    }
    return capped;
  }
}

package dev.chorus.ingest.validation;

import java.util.List;
import java.util.Map;

/**
 * A submission as received, before validation: every value still raw text. Built from a CSV row
 * through a column mapping, or from a JSON submission.
 *
 * @param answers item id -> raw answer (number or label)
 * @param influence decision area -> group -> raw rating
 * @param reflection shaped_by / input_from / led_by / implemented_by -> raw group names
 * @param locations logical field (e.g. {@code answers/trust_respect_1}) -> where it came from (a
 *     column header or JSON pointer), for error messages
 */
public record SubmissionDraft(
    String submissionId,
    String districtId,
    String schoolId,
    String cycle,
    String instrumentId,
    Integer instrumentVersion,
    String respondentId,
    String role,
    List<String> cohortTags,
    String submittedAt,
    Map<String, String> answers,
    Map<String, Map<String, String>> influence,
    Map<String, List<String>> reflection,
    Map<String, String> freeText,
    Map<String, String> locations) {

  /** Where a logical field came from; the field name itself when unknown. */
  public String locate(String logicalField) {
    return locations.getOrDefault(logicalField, logicalField);
  }
}

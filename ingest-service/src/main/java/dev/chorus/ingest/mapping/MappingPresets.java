package dev.chorus.ingest.mapping;

import dev.chorus.ingest.mapping.ColumnMapping.ItemMatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Built-in mappings for common survey tools; districts can register their own. */
public final class MappingPresets {

  /** Headers are item ids; identity columns as in the JSON API. */
  public static final ColumnMapping GENERIC =
      new ColumnMapping(
          "generic",
          "Header row of item ids (vision_strategy_1 …), influence.<area>.<group>, reflection.<kind>",
          1,
          1,
          "school_id",
          "respondent_id",
          "role",
          "submitted_at",
          "cohort_tags",
          "submission_id",
          ItemMatch.BY_ID,
          Map.of(),
          List.of(),
          ",;");

  /**
   * Google Forms' "Download responses (.csv)": a Timestamp column, "Email Address" when emails are
   * collected, questions headed by their wording, grids as "Question [Row]", checkboxes joined by
   * ";" or ", ".
   */
  public static final ColumnMapping GOOGLE_FORMS =
      new ColumnMapping(
          "google-forms",
          "Google Forms responses export: headers are the question wording",
          1,
          1,
          "School",
          "Email Address",
          "Role",
          "Timestamp",
          "Cohort",
          null,
          ItemMatch.BY_TEXT,
          Map.of(
              "Who shaped this decision?", "reflection:shaped_by",
              "Who gave input?", "reflection:input_from",
              "Who led the work?", "reflection:led_by",
              "Who implemented it?", "reflection:implemented_by"),
          List.of("Score"),
          ";,");

  /**
   * Qualtrics "Export data, CSV, use choice text": three header rows (export tags, question text,
   * import ids); questions' export tags set to the item ids; school, role and cohort as embedded
   * data; tool metadata and recipient names ignored.
   */
  public static final ColumnMapping QUALTRICS =
      new ColumnMapping(
          "qualtrics",
          "Qualtrics CSV export with three header rows; export tags = item ids",
          3,
          1,
          "school",
          "RecipientEmail",
          "role",
          "RecordedDate",
          "cohort",
          "ResponseId",
          ItemMatch.BY_ID,
          Map.of(),
          List.of(
              "StartDate",
              "EndDate",
              "Status",
              "IPAddress",
              "Progress",
              "Duration (in seconds)",
              "Finished",
              "RecipientLastName",
              "RecipientFirstName",
              "ExternalReference",
              "LocationLatitude",
              "LocationLongitude",
              "DistributionChannel",
              "UserLanguage"),
          ",");

  /** Every preset. */
  public static final List<ColumnMapping> ALL = List.of(GENERIC, GOOGLE_FORMS, QUALTRICS);

  private MappingPresets() {}

  /** The preset with this id, if any. */
  public static Optional<ColumnMapping> find(String id) {
    return ALL.stream().filter(m -> m.id().equals(id)).findFirst();
  }
}

package dev.chorus.contracts;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The analyst-facing ClickHouse contract: database names, the stable names of the reporting views
 * (each has a {@code district_id} column, the row filter of per-district analysts) and the users of
 * the access model. The sink's migrations create exactly these views (checked by a test).
 */
public final class ReportingModel {

  /** Base tables written by the sink; analysts never read them. */
  public static final String DATABASE = "chorus";

  /** Views for analysts and dashboards, suppression applied. */
  public static final String REPORTING_DATABASE = "chorus_reporting";

  /** The reporting views, by their stable names. */
  public static final List<String> VIEWS =
      List.of(
          "current_scores",
          "score_trends",
          "rolling_scores",
          "district_benchmarks",
          "item_distributions",
          "influence",
          "influence_groups",
          "perception_gaps",
          "decision_patterns",
          "response_rates",
          "late_submissions",
          "rejected_submissions",
          "data_freshness");

  /** The sink's user: writes base tables, runs migrations, owns (defines) the views. */
  public static final String WRITER = "chorus_writer";

  /** Reads every district's rows of the reporting views, nothing else. */
  public static final String ANALYST = "chorus_analyst";

  private static final Pattern DISTRICT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private ReportingModel() {}

  /**
   * The analyst user restricted to one district's rows.
   *
   * @throws IllegalArgumentException if the district id cannot be part of a user name
   */
  public static String districtAnalyst(String district) {
    if (!DISTRICT_ID.matcher(district).matches()) {
      throw new IllegalArgumentException(
          "District id '" + district + "' must be 1-64 letters, digits, '-' or '_'");
    }
    return ANALYST + "_" + district.toLowerCase(Locale.ROOT).replace('-', '_');
  }
}

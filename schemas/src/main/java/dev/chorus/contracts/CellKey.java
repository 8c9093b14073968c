package dev.chorus.contracts;

import java.time.LocalDate;

/**
 * The key of every metric record on the output topics: {@code
 * district|school|cycle|window|metric|role|cohort}, where school is {@code *} for a district
 * rollup, window is {@code CTD} or {@code R<days>@<as-of date>}, and cohort is {@code *} for all
 * cohorts. Tombstones carry only this key, so consumers read a withdrawn cell's identity from it.
 *
 * @param school null for a district rollup
 * @param days null for cycle to date
 * @param asOf null for cycle to date
 * @param cohort null for all cohorts
 */
public record CellKey(
    String district,
    String school,
    String cycle,
    Integer days,
    LocalDate asOf,
    String metric,
    String roleGroup,
    String cohort) {

  /** Marks a district rollup (school) or all cohorts (cohort). */
  public static final String ANY = "*";

  /** Whether this is a cycle-to-date cell (else a rolling-series row). */
  public boolean cycleToDate() {
    return days == null;
  }

  /** The key text. */
  public String format() {
    String window = cycleToDate() ? "CTD" : "R" + days + "@" + asOf;
    return district
        + "|"
        + (school == null ? ANY : school)
        + "|"
        + cycle
        + "|"
        + window
        + "|"
        + metric
        + "|"
        + roleGroup
        + "|"
        + (cohort == null ? ANY : cohort);
  }

  /**
   * Reads a key.
   *
   * @throws IllegalArgumentException if it is not a cell key
   */
  public static CellKey parse(String key) {
    String[] parts = key.split("\\|", -1);
    if (parts.length != 7) {
      throw new IllegalArgumentException(
          "Not a cell key (district|school|cycle|window|metric|role|cohort): '" + key + "'");
    }
    Integer days = null;
    LocalDate asOf = null;
    String window = parts[3];
    if (!window.equals("CTD")) {
      int at = window.indexOf('@');
      if (!window.startsWith("R") || at < 0) {
        throw new IllegalArgumentException("Cell key '" + key + "' has no valid window");
      }
      try {
        days = Integer.parseInt(window.substring(1, at));
        asOf = LocalDate.parse(window.substring(at + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("Cell key '" + key + "' has no valid window", e);
      }
    }
    return new CellKey(
        parts[0],
        parts[1].equals(ANY) ? null : parts[1],
        parts[2],
        days,
        asOf,
        parts[4],
        parts[5],
        parts[6].equals(ANY) ? null : parts[6]);
  }
}

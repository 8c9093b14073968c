package dev.chorus.ingest.mapping;

import java.util.List;
import java.util.Map;

/**
 * How to read one survey tool's CSV export: where the header is, which columns hold the school,
 * respondent, role, timestamp, cohort and submission id, and how the other columns map to items.
 *
 * @param headerRows rows before the first data row (Qualtrics exports have 3)
 * @param namesRow the 1-based header row whose cells name the columns
 * @param itemMatch how unmapped headers are matched to items: by item id or by item text
 * @param columns explicit header -> target: {@code item:<id>}, {@code influence:<area>:<group>},
 *     {@code reflection:<kind>}, {@code free_text:<key>} or {@code ignore}
 * @param ignoreColumns headers that are never ingested (tool metadata, names, IP addresses)
 * @param listSeparators characters separating the choices of a multi-select answer
 */
public record ColumnMapping(
    String id,
    String description,
    int headerRows,
    int namesRow,
    String schoolColumn,
    String respondentColumn,
    String roleColumn,
    String timestampColumn,
    String cohortColumn,
    String submissionIdColumn,
    ItemMatch itemMatch,
    Map<String, String> columns,
    List<String> ignoreColumns,
    String listSeparators) {

  /** How headers name items. */
  public enum ItemMatch {
    /** Header = item id; {@code influence.<area>.<group>}; {@code reflection.<kind>}. */
    BY_ID,
    /**
     * Header = the item's wording; influence grids as {@code Influence: <area name> [<group name>]}
     * (Google Forms' grid export).
     */
    BY_TEXT
  }

  public ColumnMapping {
    columns = columns == null ? Map.of() : Map.copyOf(columns);
    ignoreColumns = ignoreColumns == null ? List.of() : List.copyOf(ignoreColumns);
    listSeparators = listSeparators == null || listSeparators.isEmpty() ? ",;" : listSeparators;
    if (headerRows < 1 || namesRow < 1 || namesRow > headerRows) {
      throw new IllegalArgumentException(
          "mapping '" + id + "': names_row must lie within the " + headerRows + " header rows");
    }
  }
}

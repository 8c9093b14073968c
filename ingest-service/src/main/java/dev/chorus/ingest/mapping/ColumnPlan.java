package dev.chorus.ingest.mapping;

import dev.chorus.instrument.Instrument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mapping applied to one export's header: what each column holds. Columns nothing maps to are
 * listed in {@link #ignoredColumns()} for the receipt, and their values are never ingested.
 */
public final class ColumnPlan {

  /** What a column holds. */
  public enum Kind {
    SCHOOL,
    RESPONDENT,
    ROLE,
    TIMESTAMP,
    COHORT,
    SUBMISSION_ID,
    ITEM,
    INFLUENCE,
    REFLECTION,
    FREE_TEXT,
    /** Looks like an item id but the instrument has no such item: rows using it are rejected. */
    UNKNOWN_ITEM,
    IGNORED
  }

  /** One column's role; {@code key} and {@code subKey} name the item, area/group, etc. */
  public record Column(int index, String header, Kind kind, String key, String subKey) {}

  private static final Pattern ID_LIKE = Pattern.compile("[a-z][a-z0-9_.]*");
  private static final Pattern GRID = Pattern.compile("(.*)\\[(.+)]\\s*$");

  private final List<Column> columns;

  private ColumnPlan(List<Column> columns) {
    this.columns = List.copyOf(columns);
  }

  /**
   * Resolves {@code headers} with {@code mapping} against {@code instrument}.
   *
   * @throws UploadFormatException when a required column (school, role, timestamp) is missing or a
   *     header repeats
   */
  public static ColumnPlan resolve(
      List<String> headers, ColumnMapping mapping, Instrument instrument) {
    Map<String, Integer> seen = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      String h = headers.get(i).trim();
      Integer previous = seen.put(h, i);
      if (previous != null && !h.isEmpty()) {
        problems.add(
            "column '"
                + h
                + "' appears twice (columns "
                + (previous + 1)
                + " and "
                + (i + 1)
                + ")");
      }
    }
    Map<String, Instrument.Item> itemsByText = new HashMap<>();
    instrument.items().forEach(item -> itemsByText.put(normalize(item.text()), item));
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      columns.add(classify(i, headers.get(i).trim(), mapping, instrument, itemsByText));
    }
    requireColumn(columns, Kind.SCHOOL, mapping.schoolColumn(), mapping, problems);
    requireColumn(columns, Kind.ROLE, mapping.roleColumn(), mapping, problems);
    requireColumn(columns, Kind.TIMESTAMP, mapping.timestampColumn(), mapping, problems);
    if (!problems.isEmpty()) {
      throw new UploadFormatException(problems);
    }
    return new ColumnPlan(columns);
  }

  private static void requireColumn(
      List<Column> columns,
      Kind kind,
      String header,
      ColumnMapping mapping,
      List<String> problems) {
    if (columns.stream().noneMatch(c -> c.kind() == kind)) {
      problems.add(
          "mapping '"
              + mapping.id()
              + "' expects a column '"
              + header
              + "' ("
              + kind.name().toLowerCase(Locale.ROOT)
              + ") but the export has none");
    }
  }

  private static Column classify(
      int index,
      String header,
      ColumnMapping mapping,
      Instrument instrument,
      Map<String, Instrument.Item> itemsByText) {
    if (header.equals(mapping.schoolColumn())) {
      return new Column(index, header, Kind.SCHOOL, null, null);
    }
    if (header.equals(mapping.respondentColumn())) {
      return new Column(index, header, Kind.RESPONDENT, null, null);
    }
    if (header.equals(mapping.roleColumn())) {
      return new Column(index, header, Kind.ROLE, null, null);
    }
    if (header.equals(mapping.timestampColumn())) {
      return new Column(index, header, Kind.TIMESTAMP, null, null);
    }
    if (header.equals(mapping.cohortColumn())) {
      return new Column(index, header, Kind.COHORT, null, null);
    }
    if (header.equals(mapping.submissionIdColumn())) {
      return new Column(index, header, Kind.SUBMISSION_ID, null, null);
    }
    if (mapping.ignoreColumns().contains(header)) {
      return new Column(index, header, Kind.IGNORED, null, null);
    }
    String explicit = mapping.columns().get(header);
    if (explicit != null) {
      return target(index, header, explicit);
    }
    return mapping.itemMatch() == ColumnMapping.ItemMatch.BY_ID
        ? byId(index, header, instrument)
        : byText(index, header, instrument, itemsByText);
  }

  private static Column target(int index, String header, String target) {
    String[] parts = target.split(":", 3);
    return switch (parts[0]) {
      case "item" -> new Column(index, header, Kind.ITEM, parts[1], null);
      case "influence" ->
          new Column(index, header, Kind.INFLUENCE, parts[1], parts.length > 2 ? parts[2] : null);
      case "reflection" -> new Column(index, header, Kind.REFLECTION, parts[1], null);
      case "free_text" -> new Column(index, header, Kind.FREE_TEXT, parts[1], null);
      default -> new Column(index, header, Kind.IGNORED, null, null);
    };
  }

  private static Column byId(int index, String header, Instrument instrument) {
    if (instrument.item(header).isPresent()) {
      return new Column(index, header, Kind.ITEM, header, null);
    }
    String[] dotted = header.split("\\.");
    if (dotted.length == 3 && dotted[0].equals("influence")) {
      return new Column(index, header, Kind.INFLUENCE, dotted[1], dotted[2]);
    }
    if (dotted.length == 2 && dotted[0].equals("reflection")) {
      return new Column(index, header, Kind.REFLECTION, dotted[1], null);
    }
    if (dotted.length == 2 && dotted[0].equals("free_text")) {
      return new Column(index, header, Kind.FREE_TEXT, dotted[1], null);
    }
    if (ID_LIKE.matcher(header).matches()) {
      return new Column(index, header, Kind.UNKNOWN_ITEM, header, null);
    }
    return new Column(index, header, Kind.IGNORED, null, null);
  }

  private static Column byText(
      int index, String header, Instrument instrument, Map<String, Instrument.Item> itemsByText) {
    Instrument.Item item = itemsByText.get(normalize(header));
    if (item != null) {
      return new Column(index, header, Kind.ITEM, item.id(), null);
    }
    Matcher grid = GRID.matcher(header);
    if (grid.matches()) {
      String question = normalize(grid.group(1));
      String row = normalize(grid.group(2));
      for (Instrument.DecisionArea area : instrument.decisionAreas()) {
        if (question.contains(normalize(area.name()))) {
          for (Instrument.Group group : instrument.groups()) {
            if (row.equals(normalize(group.name())) || row.equals(group.id())) {
              return new Column(index, header, Kind.INFLUENCE, area.id(), group.id());
            }
          }
        }
      }
    }
    return byId(index, header, instrument);
  }

  private static String normalize(String text) {
    return text.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  public List<Column> columns() {
    return columns;
  }

  /** Headers whose values are not ingested, for the receipt. */
  public List<String> ignoredColumns() {
    return columns.stream()
        .filter(c -> c.kind() == Kind.IGNORED && !c.header().isEmpty())
        .map(Column::header)
        .toList();
  }

  /** Column header -> logical field, for error messages. */
  public Map<String, String> locations() {
    Map<String, String> locations = new LinkedHashMap<>();
    for (Column c : columns) {
      String logical =
          switch (c.kind()) {
            case SCHOOL -> "school_id";
            case RESPONDENT -> "respondent_id";
            case ROLE -> "role";
            case TIMESTAMP -> "submitted_at";
            case COHORT -> "cohort_tags";
            case SUBMISSION_ID -> "submission_id";
            case ITEM, UNKNOWN_ITEM -> "answers/" + c.key();
            case INFLUENCE -> "influence/" + c.key() + "/" + c.subKey();
            case REFLECTION -> "reflection/" + c.key();
            case FREE_TEXT -> "free_text/" + c.key();
            case IGNORED -> null;
          };
      if (logical != null) {
        locations.put(logical, c.header());
      }
      if (c.kind() == Kind.INFLUENCE) {
        locations.putIfAbsent("influence/" + c.key(), c.header());
      }
    }
    return locations;
  }
}

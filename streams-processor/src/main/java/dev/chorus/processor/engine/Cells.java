package dev.chorus.processor.engine;

import dev.chorus.avro.MetricCell;
import dev.chorus.avro.Suppression;
import dev.chorus.avro.SuppressionReason;
import dev.chorus.avro.WindowKind;
import dev.chorus.avro.WindowSpec;
import dev.chorus.contracts.CellKey;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Identity of published cells: the Avro {@link MetricCell} and the output record key. */
public final class Cells {

  /** Role group of all respondents. */
  public static final String ALL = "ALL";

  /** Key segment standing for "the district rollup" or "all cohorts". */
  public static final String ANY = CellKey.ANY;

  private Cells() {}

  /** The cell; {@code windowDays} 0 means cycle to date. */
  public static MetricCell cell(
      String district,
      String school,
      String cycle,
      int windowDays,
      int asOfEpochDay,
      String roleGroup,
      String cohort) {
    WindowSpec window =
        windowDays == 0
            ? new WindowSpec(WindowKind.CYCLE_TO_DATE, null, null)
            : new WindowSpec(WindowKind.ROLLING, windowDays, LocalDate.ofEpochDay(asOfEpochDay));
    return new MetricCell(district, school, cycle, window, roleGroup, cohort);
  }

  /** The record key of a cell's metric ({@link CellKey}). */
  public static String key(MetricCell cell, String metricId) {
    WindowSpec w = cell.getWindow();
    boolean rolling = w.getKind() == WindowKind.ROLLING;
    return new CellKey(
            cell.getDistrictId(),
            cell.getSchoolId(),
            cell.getCycle(),
            rolling ? w.getDays() : null,
            rolling ? w.getAsOf() : null,
            metricId,
            cell.getRoleGroup(),
            cell.getCohort())
        .format();
  }

  /** The Avro form of a suppression decision. */
  public static Suppression suppression(SmallCellPolicy.Decision d) {
    return new Suppression(d.suppressed(), SuppressionReason.valueOf(d.reason().name()), d.nBand());
  }

  /** n of every cell with respondents, by scope and role group (what suppression decides on). */
  public static <A extends Accumulator<?, A>> Map<String, Map<String, Long>> counts(
      Map<String, ? extends Map<String, A>> cells) {
    Map<String, Map<String, Long>> n = new LinkedHashMap<>();
    cells.forEach(
        (scope, groups) ->
            groups.forEach(
                (group, acc) -> {
                  if (acc.n() > 0) {
                    n.computeIfAbsent(scope, x -> new LinkedHashMap<>()).put(group, acc.n());
                  }
                }));
    return n;
  }
}

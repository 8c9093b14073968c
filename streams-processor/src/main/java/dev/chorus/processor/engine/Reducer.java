package dev.chorus.processor.engine;

import dev.chorus.avro.MetricCell;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One metric family plugged into the shared machinery: it says what a respondent's counted
 * submission contributes to each metric (a scale, an item, a decision area…) and how a cell's
 * statistics are published. Everything else — latest-wins retraction, windows, breakdowns, district
 * rollups, suppression, versions, tombstones — is the engine's ({@link Aggregates}).
 *
 * @param <C> one respondent's contribution to one metric
 * @param <A> the cell statistics
 */
public interface Reducer<C, A extends Accumulator<C, A>> {

  /** Stable name (logs, metrics). */
  String name();

  /** The Avro record type this reducer publishes (its output topic is chosen by type). */
  Class<? extends SpecificRecordBase> outputType();

  /** Whether the metric also exists as rolling daily series (otherwise cycle to date only). */
  boolean rolling();

  /** Whether cohort-tag breakdowns are published. */
  boolean cohorts();

  /** Calls {@code out} with (metric id, contribution) for each metric the submission touches. */
  void contributions(Instrument instrument, SurveySubmission submission, BiConsumer<String, C> out);

  /** Empty statistics. */
  A newAccumulator();

  /**
   * The published record of one cell, with version 0 and computed_at 0 (the engine stamps both).
   * Values must be withheld when {@code decision} is suppressed.
   */
  SpecificRecordBase content(
      MetricCell cell,
      String metricId,
      A stats,
      SmallCellPolicy.Decision decision,
      Context context);

  /**
   * The published record of a cell that may also draw on its sibling role-group cells (same school,
   * metric, window, day and cohort) — e.g. perception gaps compare the administrators' cell with
   * each group's own. Default: {@link #content} of the cell alone.
   *
   * @param siblings the scope's cells by role group (ALL included), with respondents or not
   * @param siblingDecisions their suppression decisions (cells without respondents are absent)
   */
  default SpecificRecordBase content(
      MetricCell cell,
      String metricId,
      A stats,
      SmallCellPolicy.Decision decision,
      Context context,
      Map<String, A> siblings,
      Map<String, SmallCellPolicy.Decision> siblingDecisions) {
    return content(cell, metricId, stats, decision, context);
  }

  /**
   * Whether a cell without respondents is still published (as suppressed), e.g. a response rate of
   * a school that has a roster but no responses yet. Default: no, empty cells are withdrawn.
   */
  default boolean publishesEmpty(MetricCell cell, Context context) {
    return false;
  }

  /** What a reducer may look up while publishing. */
  interface Context {

    /** Whether the school's (null: district's) results of the cycle are below the response gate. */
    boolean belowResponseGate(String districtId, String schoolId, String cycle);

    /** Roster count of a school (null: district) and role group, or null when unknown. */
    Integer roster(String districtId, String schoolId, String cycle, String roleGroup);
  }
}

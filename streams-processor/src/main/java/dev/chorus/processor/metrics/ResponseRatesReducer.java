package dev.chorus.processor.metrics;

import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.BaseReducer;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.scores.CountAccumulator;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Respondents against the roster per school (and district), role group and cycle (domain spec §8).
 * Respondents are counted like any cell (suppressed below k_min); the roster count is always shown.
 */
public final class ResponseRatesReducer extends BaseReducer<Boolean, CountAccumulator> {

  public ResponseRatesReducer() {
    super("response-rates", ResponseRate.class, false, false);
  }

  /** The single metric id of this reducer. */
  public static final String METRIC = "respondents";

  @Override
  public void contributions(
      Instrument instrument, SurveySubmission submission, BiConsumer<String, Boolean> out) {
    out.accept(METRIC, Boolean.TRUE);
  }

  @Override
  public CountAccumulator newAccumulator() {
    return new CountAccumulator();
  }

  @Override
  public boolean publishesEmpty(MetricCell cell, Context context) {
    Integer roster = roster(cell, context);
    return roster != null && roster > 0;
  }

  private static Integer roster(MetricCell cell, Context context) {
    return context.roster(
        cell.getDistrictId(), cell.getSchoolId(), cell.getCycle(), cell.getRoleGroup());
  }

  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String metricId,
      CountAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context) {
    Integer roster = roster(cell, context);
    boolean hide = d.suppressed();
    return ResponseRate.newBuilder()
        .setCell(cell)
        .setRespondents(hide ? null : (int) acc.n())
        .setRoster(roster)
        .setRate(hide || roster == null || roster == 0 ? null : (double) acc.n() / roster)
        .setBelowResponseGate(
            context.belowResponseGate(cell.getDistrictId(), cell.getSchoolId(), cell.getCycle()))
        .setSuppression(Cells.suppression(d))
        .setVersion(0)
        .setComputedAt(Instant.EPOCH)
        .build();
  }
}

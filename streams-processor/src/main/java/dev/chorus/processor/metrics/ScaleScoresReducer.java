package dev.chorus.processor.metrics;

import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ScaleKind;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.BaseReducer;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.scores.ScaleAccumulator;
import dev.chorus.processor.scores.ScaleScoring;
import dev.chorus.processor.scores.ScaleStats;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/** Condition and indicator scores (domain spec §6): n, mean, sd, score_100, pct_favorable. */
public final class ScaleScoresReducer
    extends BaseReducer<ScaleScoring.Contribution, ScaleAccumulator> {

  public ScaleScoresReducer() {
    super("scale-scores", ScaleScore.class, true, true);
  }

  /** What a published scale needs from its instrument. */
  private record ScaleInfo(ScaleKind kind, int points) {}

  private final Map<Instrument, ScaleScoring> scorings = new IdentityHashMap<>();
  private final Map<String, ScaleInfo> scales = new HashMap<>();

  @Override
  public void contributions(
      Instrument instrument,
      SurveySubmission submission,
      BiConsumer<String, ScaleScoring.Contribution> out) {
    ScaleScoring scoring = scorings.computeIfAbsent(instrument, this::prepare);
    scoring.contributions(submission.getAnswers()).forEach(out);
  }

  private ScaleScoring prepare(Instrument instrument) {
    ScaleScoring scoring = new ScaleScoring(instrument);
    for (Instrument.Scale scale : instrument.scales()) {
      scales.putIfAbsent(
          scale.id(),
          new ScaleInfo(ScaleKind.valueOf(scale.kind().name()), scoring.points(scale.id())));
    }
    return scoring;
  }

  @Override
  public ScaleAccumulator newAccumulator() {
    return new ScaleAccumulator();
  }

  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String scaleId,
      ScaleAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context) {
    ScaleInfo info = scales.getOrDefault(scaleId, new ScaleInfo(ScaleKind.UNKNOWN, 0));
    ScaleStats stats = acc.stats();
    long denominator = ScaleScoring.DENOMINATOR;
    boolean hide = d.suppressed();
    double sd = stats.sd(denominator);
    return ScaleScore.newBuilder()
        .setCell(cell)
        .setScaleId(scaleId)
        .setScaleKind(info.kind())
        .setN(hide ? null : (int) stats.n())
        .setMean(hide ? null : stats.mean(denominator))
        .setSd(hide || Double.isNaN(sd) ? null : sd)
        .setScore100(hide || info.points() < 2 ? null : stats.score100(denominator, info.points()))
        .setPctFavorable(hide ? null : stats.pctFavorable())
        .setSuppression(Cells.suppression(d))
        .setBelowResponseGate(
            context.belowResponseGate(cell.getDistrictId(), cell.getSchoolId(), cell.getCycle()))
        .setVersion(0)
        .setComputedAt(Instant.EPOCH)
        .build();
  }
}

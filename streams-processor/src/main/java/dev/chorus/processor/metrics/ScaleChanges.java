package dev.chorus.processor.metrics;

import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.Suppression;
import dev.chorus.avro.SuppressionReason;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.scores.ScaleScoring;
import dev.chorus.processor.scores.ScaleStats;
import dev.chorus.processor.stats.Welch;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.Optional;

/**
 * Cycle-over-cycle change of one scale cell (domain spec §6): Δmean, Welch's two-sided p-value from
 * (n, mean, sd) of both cycles, Cohen's d and the significance flag. Suppressed when either cycle's
 * cell is suppressed.
 */
public final class ScaleChanges {

  private ScaleChanges() {}

  /** The change record (version 0, computed_at 0) from the previous cycle's cell to this one's. */
  public static ScaleChange content(
      MetricCell cell,
      String previousCycle,
      String scaleId,
      ScaleStats current,
      SmallCellPolicy.Decision currentDecision,
      ScaleStats previous,
      SmallCellPolicy.Decision previousDecision) {
    ScaleChange.Builder b =
        ScaleChange.newBuilder()
            .setCell(cell)
            .setPreviousCycle(previousCycle)
            .setScaleId(scaleId)
            .setVersion(0)
            .setComputedAt(Instant.EPOCH);
    if (currentDecision.suppressed() || previousDecision.suppressed()) {
      SmallCellPolicy.Decision why =
          currentDecision.suppressed() ? currentDecision : previousDecision;
      return b.setSuppression(
              new Suppression(true, SuppressionReason.valueOf(why.reason().name()), why.nBand()))
          .build();
    }
    long denominator = ScaleScoring.DENOMINATOR;
    Welch.Sample before = sample(previous, denominator);
    Welch.Sample after = sample(current, denominator);
    Optional<Welch.Change> change = Welch.compare(before, after);
    b.setSuppression(Cells.suppression(currentDecision));
    if (change.isPresent()) {
      Welch.Change c = change.get();
      b.setDeltaMean(c.deltaMean())
          .setPValue(c.pValue())
          .setCohensD(c.cohensD())
          .setSignificant(c.significant());
    } else {
      b.setDeltaMean(after.mean() - before.mean());
    }
    return b.build();
  }

  private static Welch.Sample sample(ScaleStats stats, long denominator) {
    double sd = stats.sd(denominator);
    return new Welch.Sample(stats.n(), stats.mean(denominator), Double.isNaN(sd) ? 0 : sd);
  }
}

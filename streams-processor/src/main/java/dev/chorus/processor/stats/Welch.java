package dev.chorus.processor.stats;

import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Cycle-over-cycle change of a scale from two cells' (n, mean, sd) (domain spec §6): Welch's
 * unequal-variance t-test, two-sided, and Cohen's d with the pooled standard deviation.
 */
public final class Welch {

  /** Significance level of the {@code significant} flag. */
  public static final double ALPHA = 0.05;

  /**
   * The change from {@code before} to {@code after}.
   *
   * @param pValue null when undefined (both cycles without spread)
   * @param cohensD null when the pooled standard deviation is 0
   */
  public record Change(double deltaMean, Double pValue, Double cohensD, Boolean significant) {}

  /** A cell's summary. */
  public record Sample(long n, double mean, double sd) {}

  private Welch() {}

  /** The change, or empty when either cycle has fewer than two respondents. */
  public static Optional<Change> compare(Sample before, Sample after) {
    if (before.n() < 2 || after.n() < 2) {
      return Optional.empty();
    }
    double delta = after.mean() - before.mean();
    double v1 = before.sd() * before.sd() / before.n();
    double v2 = after.sd() * after.sd() / after.n();
    Double p = null;
    if (v1 + v2 > 0) {
      double t = delta / Math.sqrt(v1 + v2);
      double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (before.n() - 1) + v2 * v2 / (after.n() - 1));
      p = 2 * (1 - new TDistribution(null, df).cumulativeProbability(Math.abs(t)));
    }
    double pooledVariance =
        ((before.n() - 1) * before.sd() * before.sd() + (after.n() - 1) * after.sd() * after.sd())
            / (before.n() + after.n() - 2);
    Double d = pooledVariance > 0 ? delta / Math.sqrt(pooledVariance) : null;
    return Optional.of(new Change(delta, p, d, p == null ? null : p < ALPHA));
  }
}

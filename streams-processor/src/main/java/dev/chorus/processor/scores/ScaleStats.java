package dev.chorus.processor.scores;

import java.math.BigInteger;

/**
 * Mergeable sufficient statistics of one reported cell: respondents n, the sum and sum of squares
 * of their scaled scores, answered and favorable item counts. All integers, so a retraction undoes
 * an addition exactly; overflow fails loudly instead of wrapping.
 */
public record ScaleStats(long n, long sum, long sumSquares, long answered, long favorable) {

  /** No respondents. */
  public static final ScaleStats EMPTY = new ScaleStats(0, 0, 0, 0, 0);

  /** With one more respondent. */
  public ScaleStats plus(ScaleScoring.Contribution c) {
    return new ScaleStats(
        n + 1,
        Math.addExact(sum, c.scaledScore()),
        Math.addExact(sumSquares, Math.multiplyExact(c.scaledScore(), c.scaledScore())),
        answered + c.answered(),
        favorable + c.favorable());
  }

  /** With a respondent's earlier contribution retracted. */
  public ScaleStats minus(ScaleScoring.Contribution c) {
    if (n == 0) {
      throw new IllegalStateException("retracting from an empty cell");
    }
    return new ScaleStats(
        n - 1,
        sum - c.scaledScore(),
        sumSquares - c.scaledScore() * c.scaledScore(),
        answered - c.answered(),
        favorable - c.favorable());
  }

  /** Both cells together (district rollups, breakdown merges). */
  public ScaleStats merge(ScaleStats other) {
    return new ScaleStats(
        n + other.n,
        Math.addExact(sum, other.sum),
        Math.addExact(sumSquares, other.sumSquares),
        answered + other.answered,
        favorable + other.favorable);
  }

  /** Mean respondent score, or NaN without respondents. */
  public double mean(long denominator) {
    return n == 0 ? Double.NaN : (double) sum / n / denominator;
  }

  /** Sample standard deviation of respondent scores; NaN below two respondents. */
  public double sd(long denominator) {
    if (n < 2) {
      return Double.NaN;
    }
    // Exact numerator n·Σx² − (Σx)² (it outgrows a long beyond ~20,000 respondents), then one
    // division.
    double numerator =
        BigInteger.valueOf(n)
            .multiply(BigInteger.valueOf(sumSquares))
            .subtract(BigInteger.valueOf(sum).pow(2))
            .doubleValue();
    return Math.sqrt(Math.max(0, numerator) / ((double) n * (n - 1))) / denominator;
  }

  /** (mean − 1) / (k − 1) × 100 for a k-point scale. */
  public double score100(long denominator, int points) {
    return (mean(denominator) - 1) / (points - 1) * 100;
  }

  /** Share of answered items in the favorable range, 0..1; NaN without answers. */
  public double pctFavorable() {
    return answered == 0 ? Double.NaN : (double) favorable / answered;
  }
}

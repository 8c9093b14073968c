package dev.chorus.processor.scores;

import dev.chorus.processor.engine.Accumulator;

/** {@link ScaleStats} as a mutable accumulator (exact integers; overflow fails loudly). */
public final class ScaleAccumulator
    implements Accumulator<ScaleScoring.Contribution, ScaleAccumulator> {

  private long n;
  private long sum;
  private long sumSquares;
  private long answered;
  private long favorable;

  @Override
  public void add(ScaleScoring.Contribution c, int sign) {
    long score = c.scaledScore();
    n += sign;
    sum = Math.addExact(sum, sign * score);
    sumSquares = Math.addExact(sumSquares, sign * Math.multiplyExact(score, score));
    answered += (long) sign * c.answered();
    favorable += (long) sign * c.favorable();
  }

  @Override
  public void merge(ScaleAccumulator o, int sign) {
    n += sign * o.n;
    sum = Math.addExact(sum, sign * o.sum);
    sumSquares = Math.addExact(sumSquares, sign * o.sumSquares);
    answered += sign * o.answered;
    favorable += sign * o.favorable;
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public boolean isZero() {
    return n == 0 && sum == 0 && sumSquares == 0 && answered == 0 && favorable == 0;
  }

  @Override
  public ScaleAccumulator copy() {
    ScaleAccumulator c = new ScaleAccumulator();
    c.merge(this, 1);
    return c;
  }

  /** The statistics as a value. */
  public ScaleStats stats() {
    return new ScaleStats(n, sum, sumSquares, answered, favorable);
  }
}

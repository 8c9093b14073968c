package dev.chorus.processor.scores;

import dev.chorus.processor.engine.Accumulator;

/** Distinct respondents, nothing else (response rates). */
public final class CountAccumulator implements Accumulator<Boolean, CountAccumulator> {

  private long n;

  @Override
  public void add(Boolean respondent, int sign) {
    n += sign;
  }

  @Override
  public void merge(CountAccumulator o, int sign) {
    n += sign * o.n;
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public boolean isZero() {
    return n == 0;
  }

  @Override
  public CountAccumulator copy() {
    CountAccumulator c = new CountAccumulator();
    c.n = n;
    return c;
  }
}

package dev.chorus.processor.engine;

/**
 * Mergeable sufficient statistics of one reported cell. Contributions are added with sign +1 and
 * retracted with sign −1, exactly (integer state), so a resubmission never counts twice. Signed
 * accumulators also serve as the day deltas of rolling series.
 *
 * @param <C> one respondent's contribution
 * @param <A> the accumulator type itself
 */
public interface Accumulator<C, A extends Accumulator<C, A>> {

  /** Adds ({@code sign} = 1) or retracts ({@code sign} = −1) one respondent's contribution. */
  void add(C contribution, int sign);

  /** Adds ({@code sign} = 1) or subtracts ({@code sign} = −1) another accumulator. */
  void merge(A other, int sign);

  /** Distinct respondents in the cell (what suppression counts). */
  long n();

  /** Whether every statistic is zero (nothing left in the cell). */
  boolean isZero();

  /** An independent copy. */
  A copy();
}

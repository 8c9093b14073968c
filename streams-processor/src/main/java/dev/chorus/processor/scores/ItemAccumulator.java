package dev.chorus.processor.scores;

import dev.chorus.processor.engine.Accumulator;
import java.util.Arrays;

/** Answer counts of one item: respondents who answered it, and how many gave each value. */
public final class ItemAccumulator implements Accumulator<Integer, ItemAccumulator> {

  private long n;
  private long[] counts = new long[6];

  @Override
  public void add(Integer value, int sign) {
    if (value < 0) {
      throw new IllegalArgumentException("negative answer value " + value);
    }
    grow(value + 1);
    n += sign;
    counts[value] += sign;
  }

  @Override
  public void merge(ItemAccumulator o, int sign) {
    grow(o.counts.length);
    n += sign * o.n;
    for (int v = 0; v < o.counts.length; v++) {
      counts[v] += sign * o.counts[v];
    }
  }

  private void grow(int size) {
    if (counts.length < size) {
      counts = Arrays.copyOf(counts, Math.max(size, counts.length * 2));
    }
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public boolean isZero() {
    if (n != 0) {
      return false;
    }
    for (long c : counts) {
      if (c != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public ItemAccumulator copy() {
    ItemAccumulator c = new ItemAccumulator();
    c.merge(this, 1);
    return c;
  }

  /** Respondents who gave {@code value}. */
  public long count(int value) {
    return value < counts.length ? counts[value] : 0;
  }

  /** One more than the largest answer value that may have a count. */
  public int valueLimit() {
    return counts.length;
  }
}

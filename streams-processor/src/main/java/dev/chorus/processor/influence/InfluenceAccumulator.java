package dev.chorus.processor.influence;

import dev.chorus.processor.engine.Accumulator;
import java.util.Map;

/**
 * Influence ratings of one cell: distinct raters n, and per rated group the raters who rated it,
 * the number of ratings and their sum (exact integers, so retraction is exact).
 */
public final class InfluenceAccumulator
    implements Accumulator<InfluenceAccumulator.Ratings, InfluenceAccumulator> {

  /**
   * One respondent's ratings in one decision area (or pooled over all areas): per group, {count,
   * sum} of ratings.
   */
  public record Ratings(Map<String, long[]> byGroup) {}

  private long n;
  private final GroupCounts groups = new GroupCounts(3);

  @Override
  public void add(Ratings ratings, int sign) {
    n += sign;
    ratings.byGroup().forEach((group, r) -> groups.add(group, new long[] {1, r[0], r[1]}, sign));
  }

  @Override
  public void merge(InfluenceAccumulator other, int sign) {
    n += sign * other.n;
    other.groups.forEach((group, g) -> groups.add(group, g, sign));
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public boolean isZero() {
    return n == 0 && groups.isEmpty();
  }

  @Override
  public InfluenceAccumulator copy() {
    InfluenceAccumulator c = new InfluenceAccumulator();
    c.merge(this, 1);
    return c;
  }

  /** Per rated group: {raters, ratings, sum of ratings}, by group id. */
  public Map<String, long[]> groups() {
    return groups.sorted();
  }
}

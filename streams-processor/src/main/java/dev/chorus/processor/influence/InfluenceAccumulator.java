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
   * One respondent's ratings in one decision area (or pooled over all areas), computed once per
   * submission: for the i-th rated group (number {@code groups[i]}), {@code values[3i..3i+2]} = {1,
   * count of ratings, sum of ratings}.
   */
  public record Ratings(int[] groups, long[] values) {}

  private final GroupNames names;
  private long n;
  private final GroupCounts groups;

  InfluenceAccumulator(GroupNames names) {
    this.names = names;
    this.groups = new GroupCounts(3, names);
  }

  @Override
  public void add(Ratings ratings, int sign) {
    n += sign;
    int[] rated = ratings.groups();
    for (int i = 0; i < rated.length; i++) {
      groups.add(rated[i], ratings.values(), 3 * i, sign);
    }
  }

  @Override
  public void merge(InfluenceAccumulator other, int sign) {
    n += sign * other.n;
    groups.merge(other.groups, sign);
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
    InfluenceAccumulator c = new InfluenceAccumulator(names);
    c.merge(this, 1);
    return c;
  }

  /** Per rated group: {raters, ratings, sum of ratings}, by group id. */
  public Map<String, long[]> groups() {
    return groups.sorted();
  }
}

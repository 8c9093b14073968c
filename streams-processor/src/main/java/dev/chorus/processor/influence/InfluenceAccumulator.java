package dev.chorus.processor.influence;

import dev.chorus.processor.engine.Accumulator;
import java.util.Map;
import java.util.TreeMap;

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
  private final Map<String, long[]> groups = new TreeMap<>();

  @Override
  public void add(Ratings ratings, int sign) {
    n += sign;
    ratings.byGroup().forEach((group, r) -> update(group, sign, sign * r[0], sign * r[1]));
  }

  @Override
  public void merge(InfluenceAccumulator other, int sign) {
    n += sign * other.n;
    other.groups.forEach((group, g) -> update(group, sign * g[0], sign * g[1], sign * g[2]));
  }

  private void update(String group, long raters, long ratings, long sum) {
    long[] g = groups.computeIfAbsent(group, x -> new long[3]);
    g[0] += raters;
    g[1] += ratings;
    g[2] += sum;
    if (g[0] == 0 && g[1] == 0 && g[2] == 0) {
      groups.remove(group);
    }
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
    return groups;
  }
}

package dev.chorus.processor.influence;

import dev.chorus.processor.engine.Accumulator;
import java.util.Map;

/**
 * Decision reflections of one cell: reports n; per group how many reports named it as shaping,
 * giving input, leading and implementing; the sum of shaping breadths; and how many reports had a
 * non-administrator group shaping, were in hierarchy mode, were co-owned. Exact integers.
 */
public final class PatternAccumulator
    implements Accumulator<PatternAccumulator.Report, PatternAccumulator> {

  /**
   * One respondent's reflection.
   *
   * @param groups numbers of the groups the reflection names
   * @param roles for the i-th named group, {@code roles[4i..4i+3]} = {shaped, input, led,
   *     implemented} as 0/1
   */
  public record Report(
      int[] groups,
      long[] roles,
      int breadth,
      boolean nonAdminShaped,
      boolean hierarchyMode,
      boolean coOwnership) {}

  private long n;
  private long breadth;
  private long nonAdminShaped;
  private long hierarchyMode;
  private long coOwnership;
  private final GroupNames names;
  private final GroupCounts groups;

  PatternAccumulator(GroupNames names) {
    this.names = names;
    this.groups = new GroupCounts(4, names);
  }

  @Override
  public void add(Report r, int sign) {
    n += sign;
    breadth += (long) sign * r.breadth();
    nonAdminShaped += r.nonAdminShaped() ? sign : 0;
    hierarchyMode += r.hierarchyMode() ? sign : 0;
    coOwnership += r.coOwnership() ? sign : 0;
    int[] named = r.groups();
    for (int i = 0; i < named.length; i++) {
      groups.add(named[i], r.roles(), 4 * i, sign);
    }
  }

  @Override
  public void merge(PatternAccumulator o, int sign) {
    n += sign * o.n;
    breadth += sign * o.breadth;
    nonAdminShaped += sign * o.nonAdminShaped;
    hierarchyMode += sign * o.hierarchyMode;
    coOwnership += sign * o.coOwnership;
    groups.merge(o.groups, sign);
  }

  @Override
  public long n() {
    return n;
  }

  @Override
  public boolean isZero() {
    return n == 0
        && breadth == 0
        && nonAdminShaped == 0
        && hierarchyMode == 0
        && coOwnership == 0
        && groups.isEmpty();
  }

  @Override
  public PatternAccumulator copy() {
    PatternAccumulator c = new PatternAccumulator(names);
    c.merge(this, 1);
    return c;
  }

  /** Per group: reports naming it {shaped, input, led, implemented}. */
  public Map<String, long[]> groups() {
    return groups.sorted();
  }

  public long breadth() {
    return breadth;
  }

  public long nonAdminShaped() {
    return nonAdminShaped;
  }

  public long hierarchyMode() {
    return hierarchyMode;
  }

  public long coOwnership() {
    return coOwnership;
  }
}

package dev.chorus.processor.suppression;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-n suppression (domain spec §9). A cell with fewer than {@code kMin} distinct respondents is
 * published without values. Within a set of sibling cells whose total is also published (the role
 * groups of one school, scale and window, next to ALL), a single suppressed sibling could be
 * recovered as ALL minus the others, so the next-smallest sibling is suppressed too.
 */
public final class SmallCellPolicy {

  /** The floor no configuration may go below. */
  public static final int K_MIN_FLOOR = 3;

  /** The default minimum n. */
  public static final int K_MIN_DEFAULT = 5;

  /** Why a cell is (not) published. */
  public enum Reason {
    NONE,
    BELOW_K_MIN,
    COMPLEMENTARY
  }

  /** The decision for one cell. */
  public record Decision(boolean suppressed, Reason reason, String nBand) {}

  private final int kMin;

  public SmallCellPolicy(int kMin) {
    if (kMin < K_MIN_FLOOR) {
      throw new IllegalArgumentException(
          "k_min must be at least " + K_MIN_FLOOR + " (domain spec §9), got " + kMin);
    }
    this.kMin = kMin;
  }

  public int kMin() {
    return kMin;
  }

  /** The decision for a cell on its own. */
  public Decision single(long n) {
    return n < kMin ? suppressed(Reason.BELOW_K_MIN) : published(n);
  }

  /**
   * Decisions for sibling cells (keys with their n; cells with n = 0 are not reported and must not
   * be passed), applying the complementary rule.
   */
  public <K> Map<K, Decision> siblings(Map<K, Long> nByCell) {
    Map<K, Decision> decisions = new LinkedHashMap<>();
    List<K> published = new ArrayList<>();
    int suppressedCount = 0;
    for (var cell : nByCell.entrySet()) {
      Decision d = single(cell.getValue());
      decisions.put(cell.getKey(), d);
      if (d.suppressed()) {
        suppressedCount++;
      } else {
        published.add(cell.getKey());
      }
    }
    if (suppressedCount == 1 && !published.isEmpty()) {
      K next =
          published.stream()
              .min(Comparator.<K>comparingLong(nByCell::get).thenComparing(Object::toString))
              .orElseThrow();
      decisions.put(next, suppressed(Reason.COMPLEMENTARY));
    }
    return decisions;
  }

  /**
   * Decisions for a cell set: the total cell {@code all} and its sibling breakdowns (e.g. role
   * groups). A suppressed total suppresses every sibling; otherwise {@link #siblings} applies.
   */
  public <K> Map<K, Decision> cellSet(K all, Map<K, Long> nByCell) {
    Map<K, Long> siblings = new LinkedHashMap<>(nByCell);
    Long total = siblings.remove(all);
    Map<K, Decision> decisions = new LinkedHashMap<>();
    Decision totalDecision = single(total == null ? 0 : total);
    if (total != null) {
      decisions.put(all, totalDecision);
    }
    if (totalDecision.suppressed()) {
      siblings.keySet().forEach(k -> decisions.put(k, suppressed(Reason.BELOW_K_MIN)));
    } else {
      decisions.putAll(siblings(siblings));
    }
    return decisions;
  }

  /**
   * Decisions for a family of cell sets that add up in two directions: the role groups of each
   * scope add up to its {@code all} cell, and the schools add up to the district rollup ({@code
   * total} scope) in every role group. The role-group rule of {@link #cellSet} is applied per
   * scope, then the same complementary rule along the schools of each role group, repeated until
   * nothing changes (each step only adds suppression, so it ends). Cells with n = 0 must not be
   * passed.
   *
   * @param nByScope n per scope (schools and the total) and role group
   */
  public <S> Map<S, Map<String, Decision>> family(
      Map<S, Map<String, Long>> nByScope, S total, String all) {
    Map<S, Map<String, Decision>> decisions = new LinkedHashMap<>();
    nByScope.forEach((scope, groups) -> decisions.put(scope, cellSet(all, groups)));
    Map<String, Decision> totals = decisions.get(total);
    boolean changed = totals != null && nByScope.size() > 2;
    while (changed) {
      changed = false;
      for (var group : totals.entrySet()) {
        if (group.getValue().suppressed()) {
          continue;
        }
        Map<S, Long> schools = new LinkedHashMap<>();
        nByScope.forEach(
            (scope, groups) -> {
              if (!scope.equals(total) && groups.containsKey(group.getKey())) {
                schools.put(scope, groups.get(group.getKey()));
              }
            });
        changed |= complement(schools, scope -> decisions.get(scope), group.getKey());
      }
      for (var scope : decisions.entrySet()) {
        Decision allDecision = scope.getValue().get(all);
        if (allDecision == null || allDecision.suppressed()) {
          continue;
        }
        Map<String, Long> siblings = new LinkedHashMap<>(nByScope.get(scope.getKey()));
        siblings.remove(all);
        Map<String, Decision> own = scope.getValue();
        changed |= complement(siblings, group -> own, null);
      }
    }
    return decisions;
  }

  /**
   * If exactly one of {@code cells} is suppressed, suppresses the published one with the smallest
   * n. {@code decisionsOf} maps a cell to the decision map holding it, under {@code group} (or
   * under the cell itself when {@code group} is null).
   */
  private <K> boolean complement(
      Map<K, Long> cells,
      java.util.function.Function<K, Map<String, Decision>> decisionsOf,
      String group) {
    int suppressedCount = 0;
    K smallest = null;
    for (var cell : cells.entrySet()) {
      String slot = group == null ? (String) cell.getKey() : group;
      if (decisionsOf.apply(cell.getKey()).get(slot).suppressed()) {
        suppressedCount++;
      } else if (smallest == null
          || cell.getValue() < cells.get(smallest)
          || (cell.getValue().equals(cells.get(smallest))
              && cell.getKey().toString().compareTo(smallest.toString()) < 0)) {
        smallest = cell.getKey();
      }
    }
    if (suppressedCount != 1 || smallest == null) {
      return false;
    }
    String slot = group == null ? (String) smallest : group;
    decisionsOf.apply(smallest).put(slot, suppressed(Reason.COMPLEMENTARY));
    return true;
  }

  private Decision suppressed(Reason reason) {
    return new Decision(true, reason, "<" + kMin);
  }

  private static Decision published(long n) {
    return new Decision(false, Reason.NONE, Long.toString(n));
  }
}

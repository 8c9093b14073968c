package dev.chorus.processor.influence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Level and distribution of influence over the rated groups (domain spec §7), as pure functions of
 * the groups' re-based influence I_g ∈ [0, 3] (mean rating − 1). Metrics that are undefined are
 * null — never NaN, never 0 — and {@link Distribution#undefinedReason} says why.
 */
public final class InfluenceMath {

  /** No group has a value (nobody rated any). */
  public static final String NO_RATINGS = "no group was rated";

  /** T = 0: shares and every distribution metric are undefined. */
  public static final String ZERO_TOTAL = "total influence is 0";

  /** k = 1: corrected Gini, evenness and normalized HHI need two groups. */
  public static final String ONE_GROUP = "fewer than two groups were rated";

  /**
   * The metrics of one cell.
   *
   * @param total T = Σ I_g (null only without any rated group)
   * @param shares s_g = I_g / T by group (empty when T = 0)
   * @param gini G = Σ_i Σ_j |I_i − I_j| / (2 k² Ī)
   * @param giniCorrected G · k / (k − 1)
   * @param evenness Pielou's J = −Σ s ln s / ln k
   * @param hhi H = Σ s²
   * @param hhiNormalized (H − 1/k) / (1 − 1/k)
   * @param effectiveGroups 1 / H
   * @param topGroup the group with the largest I_g (ties: first by name)
   * @param topShare its share
   */
  public record Distribution(
      int groups,
      Double total,
      Map<String, Double> shares,
      Double gini,
      Double giniCorrected,
      Double evenness,
      Double hhi,
      Double hhiNormalized,
      Double effectiveGroups,
      String topGroup,
      Double topShare,
      String undefinedReason) {}

  private InfluenceMath() {}

  /** I_g from a mean rating on the 1 (none) .. 4 (a great deal) scale. */
  public static double rebased(double meanRating) {
    return meanRating - 1;
  }

  /**
   * The distribution over the groups that have a value.
   *
   * @param influence I_g by group; each in [0, 3]
   */
  public static Distribution distribution(Map<String, Double> influence) {
    Map<String, Double> values = new TreeMap<>(influence);
    for (var e : values.entrySet()) {
      double v = e.getValue();
      if (!(v >= 0 && v <= 3)) {
        throw new IllegalArgumentException(
            "influence of " + e.getKey() + " must be in [0, 3], got " + v);
      }
    }
    int k = values.size();
    if (k == 0) {
      return new Distribution(
          0, null, Map.of(), null, null, null, null, null, null, null, null, NO_RATINGS);
    }
    double total = values.values().stream().mapToDouble(Double::doubleValue).sum();
    if (total == 0) {
      return new Distribution(
          k, 0.0, Map.of(), null, null, null, null, null, null, null, null, ZERO_TOTAL);
    }
    Map<String, Double> shares = new LinkedHashMap<>();
    values.forEach((g, v) -> shares.put(g, v / total));
    double mean = total / k;
    double absoluteDifferences = 0;
    for (double a : values.values()) {
      for (double b : values.values()) {
        absoluteDifferences += Math.abs(a - b);
      }
    }
    double gini = absoluteDifferences / (2.0 * k * k * mean);
    double hhi = 0;
    double entropy = 0;
    String top = null;
    for (var e : shares.entrySet()) {
      double s = e.getValue();
      hhi += s * s;
      if (s > 0) {
        entropy -= s * Math.log(s);
      }
      if (top == null || values.get(e.getKey()) > values.get(top)) {
        top = e.getKey();
      }
    }
    boolean several = k >= 2;
    return new Distribution(
        k,
        total,
        Collections.unmodifiableMap(shares),
        gini,
        several ? gini * k / (k - 1) : null,
        several ? entropy / Math.log(k) : null,
        hhi,
        several ? (hhi - 1.0 / k) / (1 - 1.0 / k) : null,
        1 / hhi,
        top,
        shares.get(top),
        several ? null : ONE_GROUP);
  }

  /**
   * Administrators' rating of a group's influence minus that group's rating of its own influence
   * (same decision area); null when either is missing.
   */
  public static Double perceptionGap(Double administratorsRating, Double ownRating) {
    return administratorsRating == null || ownRating == null
        ? null
        : administratorsRating - ownRating;
  }

  /** I_administrators − I_teachers; null when either group has no value. */
  public static Double gap(Map<String, Double> influence, String administrators, String teachers) {
    Double a = influence.get(administrators);
    Double t = influence.get(teachers);
    return a == null || t == null ? null : a - t;
  }
}

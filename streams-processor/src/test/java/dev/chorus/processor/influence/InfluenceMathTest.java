package dev.chorus.processor.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class InfluenceMathTest {

  private static final double EPS = 1e-9;

  @Provide
  Arbitrary<Map<String, Double>> influence() {
    return Arbitraries.doubles()
        .between(0, 3)
        .list()
        .ofMinSize(1)
        .ofMaxSize(7)
        .map(
            values -> {
              Map<String, Double> m = new LinkedHashMap<>();
              for (int i = 0; i < values.size(); i++) {
                m.put("g" + i, values.get(i));
              }
              return m;
            });
  }

  @Property
  void sharesSumToOneAndEveryMetricIsInItsBounds(
      @ForAll("influence") Map<String, Double> influence) {
    var d = InfluenceMath.distribution(influence);
    Assume.that(d.total() > 0);
    int k = influence.size();
    assertThat(d.shares().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, offset(EPS));
    assertThat(d.gini()).isBetween(-EPS, (k - 1.0) / k + EPS);
    assertThat(d.hhi()).isBetween(1.0 / k - EPS, 1 + EPS);
    assertThat(d.effectiveGroups()).isBetween(1 - EPS, k + EPS);
    assertThat(d.topShare()).isBetween(1.0 / k - EPS, 1 + EPS);
    if (k >= 2) {
      assertThat(d.giniCorrected()).isBetween(-EPS, 1 + EPS);
      assertThat(d.evenness()).isBetween(-EPS, 1 + EPS);
      assertThat(d.hhiNormalized()).isBetween(-EPS, 1 + EPS);
      assertThat(d.undefinedReason()).isNull();
    }
  }

  @Property
  void giniEvennessAndHhiIgnoreAScaleFactor(
      @ForAll("influence") Map<String, Double> influence,
      @ForAll @DoubleRange(min = 0.1, max = 1.0) double factor) {
    var d = InfluenceMath.distribution(influence);
    Assume.that(d.total() > 1e-6 && influence.size() >= 2);
    Map<String, Double> scaled = new LinkedHashMap<>();
    influence.forEach((g, v) -> scaled.put(g, v * factor));
    var s = InfluenceMath.distribution(scaled);
    assertThat(s.gini()).isCloseTo(d.gini(), offset(EPS));
    assertThat(s.evenness()).isCloseTo(d.evenness(), offset(EPS));
    assertThat(s.hhi()).isCloseTo(d.hhi(), offset(EPS));
    assertThat(s.total()).isCloseTo(d.total() * factor, offset(EPS));
  }

  @Property
  void equalGroupsAreEven(
      @ForAll @DoubleRange(min = 0.01, max = 3) double value,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 2, max = 7) int k) {
    Map<String, Double> influence = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      influence.put("g" + i, value);
    }
    var d = InfluenceMath.distribution(influence);
    assertThat(d.gini()).isCloseTo(0.0, offset(EPS));
    assertThat(d.evenness()).isCloseTo(1.0, offset(EPS));
    assertThat(d.hhiNormalized()).isCloseTo(0.0, offset(EPS));
    assertThat(d.effectiveGroups()).isCloseTo(k, offset(EPS));
  }

  @Test
  void goldenValuesByHand() {
    // I = administrators 3, teachers 1, families 0: T = 4, shares 0.75 / 0.25 / 0.
    var d =
        InfluenceMath.distribution(Map.of("administrators", 3.0, "teachers", 1.0, "families", 0.0));
    assertThat(d.total()).isEqualTo(4.0);
    assertThat(d.shares()).containsEntry("administrators", 0.75).containsEntry("families", 0.0);
    // Σ|Ii - Ij| over ordered pairs = 2 * (2 + 3 + 1) = 12; G = 12 / (2 * 9 * 4/3) = 0.5.
    assertThat(d.gini()).isCloseTo(0.5, offset(EPS));
    assertThat(d.giniCorrected()).isCloseTo(0.75, offset(EPS));
    // J = -(0.75 ln 0.75 + 0.25 ln 0.25) / ln 3 = 0.562335144 / 1.098612289.
    assertThat(d.evenness()).isCloseTo(0.5118595071, offset(1e-9));
    // H = 0.5625 + 0.0625 = 0.625; normalized (0.625 - 1/3) / (2/3) = 0.4375; 1/H = 1.6.
    assertThat(d.hhi()).isCloseTo(0.625, offset(EPS));
    assertThat(d.hhiNormalized()).isCloseTo(0.4375, offset(EPS));
    assertThat(d.effectiveGroups()).isCloseTo(1.6, offset(EPS));
    assertThat(d.topGroup()).isEqualTo("administrators");
    assertThat(d.topShare()).isEqualTo(0.75);
    assertThat(
            InfluenceMath.gap(
                Map.of("administrators", 3.0, "teachers", 1.0), "administrators", "teachers"))
        .isEqualTo(2.0);
    assertThat(InfluenceMath.perceptionGap(3.5, 2.0)).isEqualTo(1.5);
    assertThat(InfluenceMath.perceptionGap(null, 2.0)).isNull();
  }

  @Test
  void twoGroupsAndOneGroup() {
    var two = InfluenceMath.distribution(Map.of("a", 2.0, "b", 0.0));
    assertThat(two.gini()).isCloseTo(0.5, offset(EPS)); // maximal for k = 2
    assertThat(two.giniCorrected()).isCloseTo(1.0, offset(EPS));
    assertThat(two.evenness()).isCloseTo(0.0, offset(EPS));
    assertThat(two.hhiNormalized()).isCloseTo(1.0, offset(EPS));

    var one = InfluenceMath.distribution(Map.of("a", 2.0));
    assertThat(one.total()).isEqualTo(2.0);
    assertThat(one.shares()).containsExactly(Map.entry("a", 1.0));
    assertThat(one.gini()).isEqualTo(0.0);
    assertThat(one.hhi()).isEqualTo(1.0);
    assertThat(one.effectiveGroups()).isEqualTo(1.0);
    assertThat(java.util.Arrays.asList(one.giniCorrected(), one.evenness(), one.hhiNormalized()))
        .containsOnlyNulls();
    assertThat(one.undefinedReason()).isEqualTo(InfluenceMath.ONE_GROUP);
  }

  @Test
  void undefinedIsNullWithAReasonNeverNaN() {
    var zero = InfluenceMath.distribution(Map.of("a", 0.0, "b", 0.0));
    assertThat(zero.total()).isEqualTo(0.0);
    assertThat(zero.shares()).isEmpty();
    assertThat(
            java.util.Arrays.asList(
                zero.gini(), zero.evenness(), zero.hhi(), zero.effectiveGroups()))
        .containsOnlyNulls();
    assertThat(zero.undefinedReason()).isEqualTo(InfluenceMath.ZERO_TOTAL);
    var none = InfluenceMath.distribution(Map.of());
    assertThat(none.total()).isNull();
    assertThat(none.undefinedReason()).isEqualTo(InfluenceMath.NO_RATINGS);
    assertThatThrownBy(() -> InfluenceMath.distribution(Map.of("a", 3.5)))
        .hasMessageContaining("[0, 3]");
  }
}

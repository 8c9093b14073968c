package dev.chorus.processor.scores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.chorus.instrument.InstrumentLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ScaleStatsTest {

  private static final ScaleScoring SCORING =
      new ScaleScoring(InstrumentLoader.defaultInstrument());

  @Test
  void respondentScoresAreMeansOfAnsweredItemsWithReverseScoringFlipped() {
    assertThat(SCORING.denominator()).isEqualTo(27_720);
    var c =
        SCORING.contributions(
            Map.of(
                "vision_strategy_1",
                4,
                "vision_strategy_2",
                5,
                "vision_strategy_3",
                3,
                "burnout_risk",
                5));
    assertThat(c.get("vision_strategy").scaledScore()).isEqualTo(4 * 27_720);
    assertThat(c.get("vision_strategy").answered()).isEqualTo(3);
    assertThat(c.get("vision_strategy").favorable()).isEqualTo(2);
    assertThat(c.get("burnout_risk").scaledScore())
        .as("'strongly agree' to burnout scores 1")
        .isEqualTo(27_720);
    assertThat(c.get("burnout_risk").favorable()).isZero();
    var trust = SCORING.contributions(Map.of("trust_respect_5", 1)).get("trust_respect");
    assertThat(trust.scaledScore()).as("reverse-scored trust item").isEqualTo(5 * 27_720);
    assertThat(trust.favorable()).isEqualTo(1);
  }

  @Test
  void goldenCellValues() {
    // Respondent scores 4.0, 3.5, 5.0 on a 5-point scale: mean 4.1666…, sd 0.763762…
    ScaleStats stats = ScaleStats.EMPTY;
    stats = stats.plus(SCORING.contributions(Map.of("trust_respect_1", 4)).get("trust_respect"));
    stats =
        stats.plus(
            SCORING
                .contributions(Map.of("trust_respect_1", 3, "trust_respect_2", 4))
                .get("trust_respect"));
    stats =
        stats.plus(
            SCORING
                .contributions(
                    Map.of("trust_respect_1", 5, "trust_respect_2", 5, "trust_respect_3", 5))
                .get("trust_respect"));
    assertThat(stats.n()).isEqualTo(3);
    assertThat(stats.mean(27_720)).isCloseTo(25.0 / 6, offset(1e-12));
    assertThat(stats.sd(27_720)).isCloseTo(Math.sqrt(7.0 / 12), offset(1e-12));
    assertThat(stats.score100(27_720, 5)).isCloseTo((25.0 / 6 - 1) / 4 * 100, offset(1e-9));
    assertThat(stats.pctFavorable()).isCloseTo(5.0 / 6, offset(1e-12));
  }

  @Test
  void undefinedValuesAreNaN() {
    ScaleStats one =
        ScaleStats.EMPTY.plus(
            SCORING.contributions(Map.of("trust_respect_1", 4)).get("trust_respect"));
    assertThat(one.sd(27_720)).isNaN();
    assertThat(ScaleStats.EMPTY.mean(27_720)).isNaN();
  }

  /** Adding respondents then retracting some equals adding only the rest: exactly, not roughly. */
  @Property(tries = 300)
  void retractionIsExact(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 5) Integer> answers,
      @ForAll @IntRange(min = 0, max = 40) int retract) {
    List<ScaleScoring.Contribution> contributions = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      Map<String, Integer> a =
          i % 2 == 0
              ? Map.of("shared_influence_1", answers.get(i))
              : Map.of(
                  "shared_influence_1", answers.get(i), "shared_influence_2", 6 - answers.get(i));
      contributions.add(SCORING.contributions(a).get("shared_influence"));
    }
    int removed = Math.min(retract, contributions.size());
    ScaleStats streamed = ScaleStats.EMPTY;
    for (ScaleScoring.Contribution c : contributions) {
      streamed = streamed.plus(c);
    }
    for (int i = 0; i < removed; i++) {
      streamed = streamed.minus(contributions.get(i));
    }
    ScaleStats batch = ScaleStats.EMPTY;
    for (int i = removed; i < contributions.size(); i++) {
      batch = batch.plus(contributions.get(i));
    }
    assertThat(streamed).isEqualTo(batch);
  }

  @Test
  void largeCellsDoNotOverflow() {
    // 100,000 respondents, half scoring 5 and half 1: mean 3, sd sqrt(4 * 100000 / 99999).
    // n * sum of squares is about 1e20 here, beyond a long.
    ScaleScoring.Contribution five =
        SCORING.contributions(Map.of("shared_influence_1", 5)).get("shared_influence");
    ScaleScoring.Contribution one =
        SCORING.contributions(Map.of("shared_influence_1", 1)).get("shared_influence");
    ScaleAccumulator acc = new ScaleAccumulator();
    for (int i = 0; i < 50_000; i++) {
      acc.add(five, 1);
      acc.add(one, 1);
    }
    ScaleStats stats = acc.stats();
    assertThat(stats.mean(ScaleScoring.DENOMINATOR)).isEqualTo(3.0);
    assertThat(stats.sd(ScaleScoring.DENOMINATOR))
        .isCloseTo(Math.sqrt(4.0 * 100_000 / 99_999), org.assertj.core.data.Offset.offset(1e-12));
  }
}

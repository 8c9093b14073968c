package dev.chorus.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/**
 * Golden values computed independently of this code: Welch's formulas by hand and the Student t
 * tail by numerical (Simpson) integration of its density.
 */
class WelchTest {

  @Test
  void significantImprovement() {
    var change =
        Welch.compare(new Welch.Sample(10, 3.2, 0.8), new Welch.Sample(12, 3.9, 0.6)).orElseThrow();
    assertThat(change.deltaMean()).isCloseTo(0.7, offset(1e-12));
    assertThat(change.pValue()).isCloseTo(0.036021, offset(2e-6));
    assertThat(change.cohensD()).isCloseTo(1.004107, offset(2e-6));
    assertThat(change.significant()).isTrue();
  }

  @Test
  void noticeableButNotSignificant() {
    var change =
        Welch.compare(new Welch.Sample(30, 3.0, 1.0), new Welch.Sample(30, 3.05, 1.0))
            .orElseThrow();
    assertThat(change.pValue()).isCloseTo(0.847127, offset(2e-6));
    assertThat(change.cohensD()).isCloseTo(0.05, offset(1e-12));
    assertThat(change.significant()).isFalse();
  }

  @Test
  void smallUnequalGroups() {
    var change =
        Welch.compare(new Welch.Sample(6, 2.5, 1.2), new Welch.Sample(5, 4.1, 0.5)).orElseThrow();
    assertThat(change.pValue()).isCloseTo(0.021037, offset(2e-6));
    assertThat(change.cohensD()).isCloseTo(1.676233, offset(2e-6));
  }

  @Test
  void undefinedCasesAreNullNotNaN() {
    assertThat(Welch.compare(new Welch.Sample(1, 3, 0), new Welch.Sample(9, 4, 1))).isEmpty();
    var flat = Welch.compare(new Welch.Sample(5, 3, 0), new Welch.Sample(5, 4, 0)).orElseThrow();
    assertThat(flat.deltaMean()).isEqualTo(1.0);
    assertThat(flat.pValue()).isNull();
    assertThat(flat.cohensD()).isNull();
    assertThat(flat.significant()).isNull();
  }
}

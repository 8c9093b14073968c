package dev.chorus.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.oracle.BatchScaleScores;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Compares streamed scale scores with the batch oracle, for topology and broker tests alike. */
public final class OracleAssertions {

  private OracleAssertions() {}

  /** The oracle's school cells, by the topology's output key. */
  public static Map<String, BatchScaleScores.Cell> expectedSchoolCells(
      List<SurveySubmission> submissions, Instrument instrument, SmallCellPolicy policy) {
    Map<String, BatchScaleScores.Cell> expected = new LinkedHashMap<>();
    for (BatchScaleScores.Cell cell : BatchScaleScores.compute(submissions, instrument, policy)) {
      var k = cell.key();
      if (k.schoolId() != null) {
        expected.put(
            k.districtId()
                + "|"
                + k.schoolId()
                + "|"
                + k.cycle()
                + "|CTD|"
                + k.scaleId()
                + "|"
                + k.roleGroup(),
            cell);
      }
    }
    return expected;
  }

  /** Whether every published value equals the oracle's. */
  public static boolean matches(
      Map<String, ScaleScore> streamed, Map<String, BatchScaleScores.Cell> expected) {
    return streamed.keySet().equals(expected.keySet())
        && expected.entrySet().stream().allMatch(e -> same(streamed.get(e.getKey()), e.getValue()));
  }

  /** Asserts equality cell by cell, naming the first differing cell and field. */
  public static void assertMatches(
      Map<String, ScaleScore> streamed, Map<String, BatchScaleScores.Cell> expected) {
    assertThat(streamed.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (key, cell) -> {
          ScaleScore score = streamed.get(key);
          assertThat(score.getSuppression().getSuppressed()).as(key).isEqualTo(cell.suppressed());
          assertThat(score.getSuppression().getReason().name())
              .as(key)
              .isEqualTo(cell.reason().name());
          assertThat(score.getSuppression().getNBand()).as(key).isEqualTo(cell.nBand());
          assertThat(n(score)).as(key).isEqualTo(cell.n());
          assertThat(score.getMean()).as(key).isEqualTo(cell.mean());
          assertThat(score.getSd()).as(key).isEqualTo(cell.sd());
          assertThat(score.getScore100()).as(key).isEqualTo(cell.score100());
          assertThat(score.getPctFavorable()).as(key).isEqualTo(cell.pctFavorable());
        });
  }

  private static boolean same(ScaleScore score, BatchScaleScores.Cell cell) {
    return score.getSuppression().getSuppressed() == cell.suppressed()
        && score.getSuppression().getReason().name().equals(cell.reason().name())
        && Objects.equals(score.getSuppression().getNBand(), cell.nBand())
        && Objects.equals(n(score), cell.n())
        && Objects.equals(score.getMean(), cell.mean())
        && Objects.equals(score.getSd(), cell.sd())
        && Objects.equals(score.getScore100(), cell.score100())
        && Objects.equals(score.getPctFavorable(), cell.pctFavorable());
  }

  private static Long n(ScaleScore score) {
    return score.getN() == null ? null : score.getN().longValue();
  }
}

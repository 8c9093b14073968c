package dev.chorus.processor.oracle;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.latest.LatestWins;
import dev.chorus.processor.scores.ScaleScoring;
import dev.chorus.processor.scores.ScaleStats;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference implementation of cycle-to-date condition and indicator scores (domain spec §4, §6,
 * §9), computed in one pass over a list of submissions in any order. Deliberately simple: the
 * streaming topology must produce the same cells. Schools, and the district rollup (school null);
 * role groups: each role and {@code ALL}.
 */
public final class BatchScaleScores {

  /** Role group of all respondents. */
  public static final String ALL = "ALL";

  /** Identity of one cell. */
  public record CellKey(
      String districtId, String schoolId, String cycle, String scaleId, String roleGroup) {}

  /** One cell as published. Values are null when suppressed. */
  public record Cell(
      CellKey key,
      Long n,
      Double mean,
      Double sd,
      Double score100,
      Double pctFavorable,
      boolean suppressed,
      SmallCellPolicy.Reason reason,
      String nBand) {}

  private BatchScaleScores() {}

  /** Every cell's published value, sorted by key. */
  public static List<Cell> compute(
      List<SurveySubmission> submissions, Instrument instrument, SmallCellPolicy policy) {
    ScaleScoring scoring = new ScaleScoring(instrument);
    Map<String, SurveySubmission> latest = new HashMap<>();
    for (SurveySubmission s : submissions) {
      String respondent = LatestWins.respondentKey(s);
      if (LatestWins.supersedes(s, latest.get(respondent))) {
        latest.put(respondent, s);
      }
    }
    Map<CellKey, ScaleStats> stats = new TreeMap<>(KEY_ORDER);
    for (SurveySubmission s : latest.values()) {
      for (ScaleScoring.Contribution c : scoring.contributions(s.getAnswers()).values()) {
        for (String school : new String[] {s.getSchoolId(), null}) {
          for (String group : new String[] {s.getRole().name(), ALL}) {
            stats.merge(
                new CellKey(s.getDistrictId(), school, s.getCycle(), c.scaleId(), group),
                ScaleStats.EMPTY.plus(c),
                ScaleStats::merge);
          }
        }
      }
    }
    Map<CellKey, Map<CellKey, Long>> cellSets = new LinkedHashMap<>();
    stats.forEach(
        (key, value) ->
            cellSets
                .computeIfAbsent(
                    new CellKey(key.districtId(), key.schoolId(), key.cycle(), key.scaleId(), ALL),
                    k -> new LinkedHashMap<>())
                .put(key, value.n()));
    Map<CellKey, SmallCellPolicy.Decision> decisions = new HashMap<>();
    cellSets.forEach((all, cells) -> decisions.putAll(policy.cellSet(all, cells)));
    List<Cell> cells = new ArrayList<>();
    stats.forEach(
        (key, value) -> {
          SmallCellPolicy.Decision d = decisions.get(key);
          if (d.suppressed()) {
            cells.add(new Cell(key, null, null, null, null, null, true, d.reason(), d.nBand()));
          } else {
            long denominator = scoring.denominator();
            double sd = value.sd(denominator);
            cells.add(
                new Cell(
                    key,
                    value.n(),
                    value.mean(denominator),
                    Double.isNaN(sd) ? null : sd,
                    value.score100(denominator, scoring.points(key.scaleId())),
                    value.pctFavorable(),
                    false,
                    SmallCellPolicy.Reason.NONE,
                    d.nBand()));
          }
        });
    return cells;
  }

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /** Cells sorted by district, school (rollup first), cycle, scale, role group. */
  public static final Comparator<CellKey> KEY_ORDER =
      Comparator.comparing(CellKey::districtId)
          .thenComparing(CellKey::schoolId, NULLS_FIRST)
          .thenComparing(CellKey::cycle)
          .thenComparing(CellKey::scaleId)
          .thenComparing(CellKey::roleGroup);
}

package dev.chorus.processor.oracle;

import static dev.chorus.processor.Scenarios.submission;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.data.Offset.offset;

import dev.chorus.avro.DecisionPattern;
import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.GroupInfluence;
import dev.chorus.avro.GroupPatternShare;
import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.PerceptionGap;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SuppressionReason;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.processor.Scenarios;
import dev.chorus.processor.stats.Welch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** Golden values, computed by hand, for the reference implementation. */
class BatchMetricsTest {

  private static final ChorusTopics TOPICS = new ChorusTopics("chorus.");
  private static final String FALL = "2026-fall";

  private static Map<String, Map<String, SpecificRecordBase>> compute(
      List<SurveySubmission> input, List<Roster> rosters) {
    return BatchMetrics.compute(
            input,
            rosters,
            s -> Scenarios.INSTRUMENT,
            Scenarios.settings(),
            false,
            Scenarios.outputs(TOPICS))
        .byTopic();
  }

  private static SurveySubmission vision(
      String id, String respondent, Role role, int day, int hour, int value) {
    return submission(
        id,
        "lincoln",
        FALL,
        respondent,
        role,
        day,
        hour,
        Map.of("vision_strategy_1", value),
        List.of());
  }

  private static ScaleScore score(
      Map<String, Map<String, SpecificRecordBase>> out,
      String school,
      String window,
      String group) {
    return (ScaleScore)
        out.get(TOPICS.scaleScores())
            .get("d1|" + school + "|" + FALL + "|" + window + "|vision_strategy|" + group + "|*");
  }

  @Test
  void latestWinsDuplicatesCountOnceAnonymousCountEach() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(vision("t" + i, "t" + i, Role.TEACHER, 1, 10, 2));
    }
    input.add(vision("t0-again", "t0", Role.TEACHER, 5, 10, 5)); // t0 resubmits: 2 -> 5
    input.add(vision("t1-older", "t1", Role.TEACHER, 0, 10, 1)); // older than t1's: ignored
    input.add(input.get(2)); // the same submission delivered twice
    input.add(vision("anon1", null, Role.TEACHER, 2, 10, 4));
    input.add(vision("anon2", null, Role.TEACHER, 2, 10, 4));
    Collections.shuffle(input, new Random(7));

    var out = compute(input, List.of());

    ScaleScore teachers = score(out, "lincoln", "CTD", "TEACHER");
    assertThat(teachers.getN()).isEqualTo(8);
    assertThat(teachers.getMean()).isCloseTo((5 + 2 * 5 + 4 * 2) / 8.0, offset(1e-12));
    assertThat(score(out, "*", "CTD", "ALL").getN()).as("district rollup").isEqualTo(8);
  }

  @Test
  void smallRoleGroupIsSuppressedAndItsSiblingComplementarily() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      input.add(vision("t" + i, "t" + i, Role.TEACHER, 1, 10, 4));
    }
    for (int i = 0; i < 6; i++) {
      input.add(vision("p" + i, "p" + i, Role.PARAPROFESSIONAL, 1, 10, 3));
    }
    input.add(vision("a0", "a0", Role.ADMINISTRATOR, 1, 10, 5));
    input.add(vision("a1", "a1", Role.ADMINISTRATOR, 1, 10, 5));

    var out = compute(input, List.of());

    ScaleScore admins = score(out, "lincoln", "CTD", "ADMINISTRATOR");
    assertThat(admins.getSuppression().getSuppressed()).isTrue();
    assertThat(admins.getMean()).isNull();
    assertThat(admins.getN()).isNull();
    assertThat(admins.getSuppression().getNBand()).isEqualTo("<5");
    ScaleScore paras = score(out, "lincoln", "CTD", "PARAPROFESSIONAL");
    assertThat(paras.getSuppression().getReason()).isEqualTo(SuppressionReason.COMPLEMENTARY);
    assertThat(score(out, "lincoln", "CTD", "TEACHER").getSuppression().getSuppressed()).isFalse();
    assertThat(score(out, "lincoln", "CTD", "ALL").getN()).isEqualTo(20);
    assertThat(score(out, "lincoln", "CTD", "ALL").getScore100())
        .isCloseTo(((12 * 4 + 6 * 3 + 2 * 5) / 20.0 - 1) / 4 * 100, offset(1e-9));
  }

  @Test
  void rollingWindowsTakeEachRespondentsLatestSubmissionAsOfTheDay() {
    // W = 3. Five teachers answer 2 on day 0; t0 resubmits 5 on day 1; t9 answers on day 4.
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      input.add(vision("t" + i, "t" + i, Role.TEACHER, 0, 8, 2));
    }
    input.add(vision("t0-again", "t0", Role.TEACHER, 1, 8, 5));
    input.add(vision("t9", "t9", Role.TEACHER, 4, 8, 3));

    var out = compute(input, List.of());

    assertThat(score(out, "lincoln", "R3@2026-09-01", "TEACHER").getMean()).isEqualTo(2.0);
    ScaleScore day1 = score(out, "lincoln", "R3@2026-09-02", "TEACHER");
    assertThat(day1.getN()).isEqualTo(5);
    assertThat(day1.getMean()).isCloseTo((4 * 2 + 5) / 5.0, offset(1e-12));
    assertThat(day1.getScore100()).isCloseTo(40.0, offset(1e-9));
    assertThat(score(out, "lincoln", "R3@2026-09-03", "TEACHER").getN()).isEqualTo(5);
    // Day 3: the day-0 answers left the window (submitted on day 0, not after 3 - 3 = 0).
    assertThat(score(out, "lincoln", "R3@2026-09-04", "TEACHER").getSuppression().getSuppressed())
        .isTrue();
    assertThat(score(out, "lincoln", "R3@2026-09-05", "TEACHER").getSuppression().getNBand())
        .isEqualTo("<5");
    assertThat(score(out, "lincoln", "R3@2026-09-06", "TEACHER"))
        .as("no row after the district's newest event day")
        .isNull();
    assertThat(score(out, "lincoln", "R7@2026-09-05", "TEACHER").getN()).isEqualTo(6);
    assertThat(score(out, "lincoln", "CTD", "TEACHER").getMean())
        .isCloseTo((4 * 2 + 5 + 3) / 6.0, offset(1e-12));
  }

  @Test
  void cycleOverCycleChangeComparesWithThePreviousCycle() {
    List<SurveySubmission> input = new ArrayList<>();
    int[] fall = {1, 2, 3, 4, 5}; // mean 3, sd sqrt(2.5)
    int[] spring = {3, 4, 5, 5, 3}; // mean 4, sd 1
    for (int i = 0; i < 5; i++) {
      input.add(vision("f" + i, "r" + i, Role.TEACHER, 0, 8, fall[i]));
      input.add(
          submission(
              "s" + i,
              "lincoln",
              "2027-spring",
              "r" + i,
              Role.TEACHER,
              30,
              8,
              Map.of("vision_strategy_1", spring[i]),
              List.of()));
    }

    var out = compute(input, List.of());

    ScaleChange change =
        (ScaleChange)
            out.get(TOPICS.scaleChanges())
                .get("d1|lincoln|2027-spring|CTD|vision_strategy|TEACHER|*");
    assertThat(change.getPreviousCycle()).isEqualTo(FALL);
    assertThat(change.getDeltaMean()).isCloseTo(1.0, offset(1e-12));
    assertThat(change.getCohensD()).isCloseTo(1 / Math.sqrt(1.75), offset(1e-12));
    double p =
        Welch.compare(new Welch.Sample(5, 3, Math.sqrt(2.5)), new Welch.Sample(5, 4, 1))
            .orElseThrow()
            .pValue();
    assertThat(change.getPValue()).isCloseTo(p, offset(1e-12));
    assertThat(change.getSignificant()).isFalse();
    assertThat(out.get(TOPICS.scaleChanges()))
        .as("the first cycle has nothing to compare with")
        .doesNotContainKey("d1|lincoln|2026-fall|CTD|vision_strategy|TEACHER|*");
  }

  @Test
  void responseRatesAgainstRostersAndTheGate() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(vision("t" + i, "t" + i, Role.TEACHER, 0, 8, 4));
    }
    Roster lincoln =
        Scenarios.roster("lincoln", FALL, Map.of(Role.TEACHER, 10, Role.ADMINISTRATOR, 3));
    Roster adams = Scenarios.roster("adams", FALL, Map.of(Role.TEACHER, 7));

    var out = compute(input, List.of(lincoln, adams));
    var rates = out.get(TOPICS.responseRates());

    ResponseRate teachers =
        (ResponseRate) rates.get("d1|lincoln|2026-fall|CTD|respondents|TEACHER|*");
    assertThat(teachers.getRate()).isCloseTo(0.6, offset(1e-12));
    ResponseRate all = (ResponseRate) rates.get("d1|lincoln|2026-fall|CTD|respondents|ALL|*");
    assertThat(all.getRoster()).isEqualTo(13);
    assertThat(all.getBelowResponseGate()).as("6 / 13 < 0.5").isTrue();
    ResponseRate district = (ResponseRate) rates.get("d1|*|2026-fall|CTD|respondents|ALL|*");
    assertThat(district.getRoster()).isEqualTo(20);
    ResponseRate admins =
        (ResponseRate) rates.get("d1|lincoln|2026-fall|CTD|respondents|ADMINISTRATOR|*");
    assertThat(admins.getRoster()).isEqualTo(3);
    assertThat(admins.getRespondents()).as("no administrator answered: shown as <5").isNull();
    assertThat(score(out, "lincoln", "CTD", "ALL").getBelowResponseGate()).isTrue();
  }

  @Test
  void influenceDistributionOfOneDecisionArea() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      SurveySubmission s = vision("t" + i, "t" + i, Role.TEACHER, 0, 8, 4);
      s.put(
          "influence",
          List.of(
              new InfluenceRating("budget_resources", "administrators", 4),
              new InfluenceRating("budget_resources", "teachers", i < 4 ? 2 : 1)));
      input.add(s);
    }

    var out = compute(input, List.of());
    InfluenceDistribution cell =
        (InfluenceDistribution)
            out.get(TOPICS.influence()).get("d1|lincoln|2026-fall|CTD|budget_resources|TEACHER|*");

    assertThat(cell.getRaters()).isEqualTo(5);
    // administrators: mean 4 -> I = 3; teachers: mean (4*2 + 1)/5 = 1.8 -> I = 0.8.
    assertThat(cell.getGroups())
        .extracting(GroupInfluence::getGroup, GroupInfluence::getMeanRating)
        .containsExactly(tuple("administrators", 4.0), tuple("teachers", 1.8));
    assertThat(cell.getTotalInfluence()).isCloseTo(3.8, offset(1e-12));
    assertThat(cell.getAdminTeacherGap()).isCloseTo(2.2, offset(1e-12));
    // k = 2: G = 2 * 2.2 / (2 * 4 * 1.9) = 0.289473...; corrected x2.
    assertThat(cell.getGini()).isCloseTo(4.4 / 15.2, offset(1e-12));
    assertThat(cell.getGiniCorrected()).isCloseTo(8.8 / 15.2, offset(1e-12));
    assertThat(cell.getTopGroup()).isEqualTo("administrators");
    assertThat(cell.getTopShare()).isCloseTo(3 / 3.8, offset(1e-12));
    InfluenceDistribution pooled =
        (InfluenceDistribution)
            out.get(TOPICS.influence()).get("d1|lincoln|2026-fall|CTD|ALL|TEACHER|*");
    assertThat(pooled.getTotalInfluence())
        .as("one area: ALL equals it")
        .isCloseTo(3.8, offset(1e-12));
  }

  @Test
  void perceptionGapComparesAdministratorsWithTheGroupsOwnRating() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      boolean admin = i < 5;
      SurveySubmission s =
          vision("r" + i, "r" + i, admin ? Role.ADMINISTRATOR : Role.TEACHER, 0, 8, 4);
      s.put(
          "influence",
          List.of(
              new InfluenceRating("budget_resources", "teachers", admin ? 3 : (i < 9 ? 2 : 1))));
      input.add(s);
    }
    // Two administrators only: their cell is suppressed, so the gap is hidden too.
    List<SurveySubmission> few = new ArrayList<>(input.subList(3, 10));

    var all =
        (InfluenceDistribution)
            compute(input, List.of())
                .get(TOPICS.influence())
                .get("d1|lincoln|2026-fall|CTD|budget_resources|ALL|*");
    assertThat(all.getPerceptionGaps())
        .extracting(
            PerceptionGap::getGroup,
            PerceptionGap::getAdministratorsRating,
            PerceptionGap::getOwnRating)
        .containsExactly(tuple("teachers", 3.0, 1.8));
    assertThat(all.getPerceptionGaps().get(0).getGap()).isCloseTo(1.2, offset(1e-12));

    var hidden =
        (InfluenceDistribution)
            compute(few, List.of())
                .get(TOPICS.influence())
                .get("d1|lincoln|2026-fall|CTD|budget_resources|ALL|*");
    assertThat(hidden.getPerceptionGaps())
        .containsExactly(new PerceptionGap("teachers", null, null, null));
  }

  private static DecisionReflection reflection(
      List<String> shaped, List<String> input, List<String> led, List<String> implemented) {
    return new DecisionReflection(shaped, input, led, implemented);
  }

  @Test
  void decisionPatternsOfFiveReports() {
    String a = "administrators";
    String t = "teachers";
    List<DecisionReflection> reports =
        List.of(
            reflection(List.of(a), List.of(), List.of(a), List.of(t)), // hierarchy mode
            reflection(List.of(a, t), List.of(), List.of(t), List.of(t)), // co-owned
            reflection(List.of(a, t), List.of(), List.of(t), List.of(t)), // co-owned
            reflection(List.of(), List.of(), List.of(), List.of()),
            reflection(List.of(t), List.of("families"), List.of(a), List.of(a, t)));
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      SurveySubmission s = vision("r" + i, "r" + i, Role.TEACHER, 0, 8, 4);
      s.put("reflection", reports.get(i));
      input.add(s);
    }

    DecisionPattern p =
        (DecisionPattern)
            compute(input, List.of())
                .get(TOPICS.decisionPatterns())
                .get("d1|lincoln|2026-fall|CTD|reflection|TEACHER|*");

    assertThat(p.getReports()).isEqualTo(5);
    assertThat(p.getShapingBreadth()).isCloseTo(6 / 5.0, offset(1e-12));
    assertThat(p.getNonAdminShapedShare()).isCloseTo(0.6, offset(1e-12));
    assertThat(p.getHierarchyModeShare()).isCloseTo(0.2, offset(1e-12));
    assertThat(p.getCoOwnershipShare()).isCloseTo(0.4, offset(1e-12));
    assertThat(p.getGroups())
        .extracting(
            GroupPatternShare::getGroup,
            GroupPatternShare::getShaped,
            GroupPatternShare::getInput,
            GroupPatternShare::getLed,
            GroupPatternShare::getImplemented)
        .containsExactly(
            tuple(a, 0.6, 0.0, 0.4, 0.2),
            tuple("families", 0.0, 0.2, 0.0, 0.0),
            tuple(t, 0.6, 0.0, 0.4, 0.8));
  }
}

package dev.chorus.processor.topology;

import static dev.chorus.processor.Scenarios.INSTRUMENT;
import static dev.chorus.processor.Scenarios.submission;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.ItemDistribution;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.processor.OracleAssertions;
import dev.chorus.processor.Scenarios;
import dev.chorus.processor.oracle.BatchMetrics;
import dev.chorus.registry.RegistryClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The streamed final state equals the batch oracle, whatever the order of arrival. */
class MetricsTopologyTest {

  private static final String FALL = "2026-fall";

  private static void assertMatchesOracle(
      TopologyRun run,
      List<SurveySubmission> arrivals,
      List<Roster> rosters,
      boolean rollingItems) {
    BatchMetrics.Result expected =
        BatchMetrics.compute(
            arrivals,
            rosters,
            s -> INSTRUMENT,
            Scenarios.settings(),
            rollingItems,
            Scenarios.outputs(TopologyRun.TOPICS));
    Map<String, Map<String, SpecificRecordBase>> state = run.state();
    expected
        .byTopic()
        .forEach((topic, cells) -> OracleAssertions.assertMatches(topic, state.get(topic), cells));
    assertThat(run.late().stream().map(SurveySubmission::getSubmissionId))
        .containsExactlyElementsOf(
            expected.late().stream().map(SurveySubmission::getSubmissionId).toList());
  }

  private static SurveySubmission answer(
      String id, String respondent, Role role, int day, int hour, String item, int value) {
    return submission(
        id, "lincoln", FALL, respondent, role, day, hour, Map.of(item, value), List.of());
  }

  @Test
  void resubmissionRetractsAndRoleChangeWithdrawsTheOldCell() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(answer("t" + i, "key-t" + i, Role.TEACHER, 0, i, "vision_strategy_1", 3));
    }
    input.add(answer("a0", "key-a0", Role.ADMINISTRATOR, 0, 1, "vision_strategy_1", 5));
    input.add(answer("a0-again", "key-a0", Role.TEACHER, 0, 9, "vision_strategy_1", 1));
    input.add(input.get(0));
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(true))) {
      run.instrument(INSTRUMENT);
      input.subList(0, 7).forEach(run::submit);
      run.publish();
      assertThat(run.state().get(TopologyRun.TOPICS.scaleScores()))
          .containsKey("d1|lincoln|2026-fall|CTD|vision_strategy|ADMINISTRATOR|*");
      input.subList(7, input.size()).forEach(run::submit);
      run.publish();

      Map<String, SpecificRecordBase> scores = run.state().get(TopologyRun.TOPICS.scaleScores());
      ScaleScore teachers =
          (ScaleScore) scores.get("d1|lincoln|2026-fall|CTD|vision_strategy|TEACHER|*");
      assertThat(teachers.getN()).isEqualTo(7);
      assertThat(teachers.getMean()).isEqualTo((6 * 3 + 1) / 7.0);
      assertThat(scores)
          .doesNotContainKey("d1|lincoln|2026-fall|CTD|vision_strategy|ADMINISTRATOR|*");
      assertThat(run.metrics.appliedCount()).isEqualTo(8);
      assertMatchesOracle(run, input, List.of(), true);
    }
  }

  @Test
  void rollingSeriesLateRecordsAndTheLateTopic() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      input.add(answer("d0-" + i, "k" + i, Role.TEACHER, 0, 9, "burnout_risk", 2));
    }
    // Day 6: five more respondents; with W = 3 the day-0 respondents have left the window.
    for (int i = 5; i < 10; i++) {
      input.add(answer("d6-" + i, "k" + i, Role.TEACHER, 6, 9, "burnout_risk", 4));
    }
    // Within the 2-day grace of day 6: updates the past day 5.
    input.add(answer("d5-late", "k10", Role.TEACHER, 5, 9, "burnout_risk", 1));
    // Four days behind day 6: too late for rolling history, still counts for the cycle.
    input.add(answer("d2-too-late", "k11", Role.TEACHER, 2, 9, "burnout_risk", 5));
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(false))) {
      run.instrument(INSTRUMENT);
      input.forEach(run::submit);
      run.publish();
      Map<String, SpecificRecordBase> scores = run.state().get(TopologyRun.TOPICS.scaleScores());
      ScaleScore day2 =
          (ScaleScore) scores.get("d1|lincoln|2026-fall|R3@2026-09-03|burnout_risk|ALL|*");
      assertThat(day2.getN())
          .as("day-0 respondents still in the 3-day window on day 2")
          .isEqualTo(5);
      assertThat(scores)
          .as("nobody in the 3-day window on day 3 or 4 (the too-late record is not in it)")
          .doesNotContainKey("d1|lincoln|2026-fall|R3@2026-09-04|burnout_risk|ALL|*")
          .doesNotContainKey("d1|lincoln|2026-fall|R3@2026-09-05|burnout_risk|ALL|*");
      ScaleScore day6 =
          (ScaleScore) scores.get("d1|lincoln|2026-fall|R3@2026-09-07|burnout_risk|ALL|*");
      assertThat(day6.getN()).isEqualTo(6);
      ScaleScore cycle = (ScaleScore) scores.get("d1|lincoln|2026-fall|CTD|burnout_risk|ALL|*");
      assertThat(cycle.getN()).as("the late record counts for its cycle").isEqualTo(12);
      assertThat(run.late())
          .extracting(SurveySubmission::getSubmissionId)
          .containsExactly("d2-too-late");
      assertThat(run.metrics.lateCount()).isEqualTo(1);
      assertMatchesOracle(run, input, List.of(), false);
    }
  }

  @Test
  void responseRatesFollowRostersAndTheGateFlagsScores() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(answer("t" + i, "k" + i, Role.TEACHER, 1, i, "vision_strategy_1", 4));
    }
    Roster big = Scenarios.roster("lincoln", FALL, Map.of(Role.TEACHER, 20, Role.ADMINISTRATOR, 2));
    Roster small =
        Scenarios.roster("lincoln", FALL, Map.of(Role.TEACHER, 8, Role.ADMINISTRATOR, 2));
    Roster empty = Scenarios.roster("adams", FALL, Map.of(Role.TEACHER, 12));
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(false))) {
      run.instrument(INSTRUMENT);
      input.forEach(run::submit);
      run.roster(big).roster(empty).publish();
      var rates = run.state().get(TopologyRun.TOPICS.responseRates());
      ResponseRate all = (ResponseRate) rates.get("d1|lincoln|2026-fall|CTD|respondents|ALL|*");
      assertThat(all.getRespondents()).isEqualTo(6);
      assertThat(all.getRoster()).isEqualTo(22);
      assertThat(all.getBelowResponseGate()).isTrue();
      ResponseRate adams = (ResponseRate) rates.get("d1|adams|2026-fall|CTD|respondents|ALL|*");
      assertThat(adams.getRoster()).as("a school with a roster and no responses yet").isEqualTo(12);
      assertThat(adams.getSuppression().getSuppressed()).isTrue();
      ScaleScore score =
          (ScaleScore)
              run.state()
                  .get(TopologyRun.TOPICS.scaleScores())
                  .get("d1|lincoln|2026-fall|CTD|vision_strategy|ALL|*");
      assertThat(score.getBelowResponseGate()).isTrue();

      run.roster(small).publish();
      score =
          (ScaleScore)
              run.state()
                  .get(TopologyRun.TOPICS.scaleScores())
                  .get("d1|lincoln|2026-fall|CTD|vision_strategy|ALL|*");
      assertThat(score.getBelowResponseGate()).as("6 of 10 is above the 50 % gate").isFalse();
      assertThat(
              ((ResponseRate)
                      run.state()
                          .get(TopologyRun.TOPICS.responseRates())
                          .get("d1|lincoln|2026-fall|CTD|respondents|TEACHER|*"))
                  .getRate())
          .isEqualTo(6 / 8.0);
      assertMatchesOracle(run, input, List.of(small, empty), false);
    }
  }

  @Test
  void submissionsWaitForTheirInstrument() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      input.add(answer("t" + i, "k" + i, Role.TEACHER, 1, i, "vision_strategy_1", 2));
    }
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(true))) {
      input.forEach(run::submit);
      run.publish();
      assertThat(run.state().get(TopologyRun.TOPICS.scaleScores())).isEmpty();
      assertThat(run.metrics.waiting()).isEqualTo(5);
      run.instrument(INSTRUMENT).publish();
      assertThat(run.metrics.waiting()).isZero();
      assertMatchesOracle(run, input, List.of(), true);
    }
  }

  @Property(tries = 30)
  void anyArrivalOrderGivesTheBatchResult(@ForAll long seed) {
    Random random = new Random(seed);
    List<SurveySubmission> input = Scenarios.randomDistrict(random);
    List<Roster> rosters = Scenarios.randomRosters(random);
    boolean rollingItems = random.nextBoolean();
    // Straight to the metrics (on the district's partition already) or through the repartition
    // topic: both paths must give the same result.
    boolean home = random.nextBoolean();
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(rollingItems, home ? 1 : 4))) {
      run.instrument(INSTRUMENT);
      List<Object> arrivals = new ArrayList<>(input);
      for (Roster r : rosters) {
        arrivals.add(random.nextInt(arrivals.size() + 1), r);
      }
      for (Object arrival : arrivals) {
        if (arrival instanceof Roster r) {
          run.roster(r);
        } else {
          run.submit((SurveySubmission) arrival);
        }
        if (random.nextInt(10) == 0) {
          run.publish(); // publish mid-stream too: incremental updates must converge
        }
      }
      run.publish();
      assertMatchesOracle(run, input, rosters, rollingItems);
      assertThat(run.metrics.reroutedCount()).isEqualTo(home ? 0.0 : input.size());
    }
  }

  @Test
  void cohortBreakdownsAndItemDistributions() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      input.add(
          submission(
              "t" + i,
              "lincoln",
              FALL,
              "k" + i,
              Role.TEACHER,
              1,
              i,
              Map.of("vision_strategy_1", 1 + i % 3),
              i < 5 ? List.of("pilot") : List.of()));
    }
    try (TopologyRun run = new TopologyRun(TopologyRun.settings(false))) {
      run.instrument(INSTRUMENT);
      input.forEach(run::submit);
      run.publish();
      ScaleScore pilot =
          (ScaleScore)
              run.state()
                  .get(TopologyRun.TOPICS.scaleScores())
                  .get("d1|lincoln|2026-fall|CTD|vision_strategy|ALL|pilot");
      assertThat(pilot.getN()).isEqualTo(5);
      ItemDistribution item =
          (ItemDistribution)
              run.state()
                  .get(TopologyRun.TOPICS.itemDistributions())
                  .get("d1|lincoln|2026-fall|CTD|vision_strategy_1|ALL|*");
      assertThat(item.getN()).isEqualTo(7);
      assertThat(
              item.getCounts().stream()
                  .collect(Collectors.toMap(c -> c.getValue(), c -> c.getCount())))
          .isEqualTo(Map.of(1, 3L, 2, 2L, 3, 2L));
      assertMatchesOracle(run, input, List.of(), false);
    }
  }

  @Test
  void topologyDescriptionIsPinned() throws Exception {
    String described =
        TopologyRun.topology(
                Map.of(RegistryClientConfig.URL, "mock://describe"),
                TopologyRun.settings(true),
                new ProcessorMetrics(
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry()))
            .describe()
            .toString();
    Path pinned = Path.of("src/test/resources/topology-description.txt");
    assertThat(described)
        .as(
            "processor, store and topic names are part of the contract: update %s deliberately",
            pinned)
        .isEqualTo(Files.readString(pinned));
  }
}

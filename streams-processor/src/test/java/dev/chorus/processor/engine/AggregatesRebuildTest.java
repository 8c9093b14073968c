package dev.chorus.processor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.Roster;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.processor.OracleAssertions;
import dev.chorus.processor.Scenarios;
import dev.chorus.processor.latest.LatestWins;
import dev.chorus.processor.oracle.BatchMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Recovery: the processor keeps only histories durable and rebuilds the aggregates. A crash after
 * state was committed but before its changes were published must still end in the oracle's state,
 * including withdrawals (tombstones) of cells that emptied in between.
 */
class AggregatesRebuildTest {

  private static final ChorusTopics TOPICS = new ChorusTopics("chorus.");

  /** Applies submissions the way the processor does and keeps the durable part. */
  private static final class Engine {
    final Aggregates aggregates =
        Aggregates.standard(
            Scenarios.settings(), true, Scenarios.outputs(TOPICS), s -> Scenarios.INSTRUMENT);
    final Map<String, RespondentHistory> histories = new TreeMap<>();
    long version;

    void submit(SurveySubmission s) {
      String key = LatestWins.respondentKey(s);
      RespondentHistory before = histories.get(key);
      if (before != null && before.contains(s.getSubmissionId())) {
        return; // a duplicate, as the processor decides it
      }
      var entry = new RespondentHistory.Entry(s, !aggregates.isLate(s));
      RespondentHistory after = before == null ? RespondentHistory.of(entry) : before.with(entry);
      histories.put(key, after);
      aggregates.apply(before, after);
    }

    void emit(Map<String, Map<String, SpecificRecordBase>> state) {
      aggregates.emit(
          (topic, key, value) -> {
            Map<String, SpecificRecordBase> t = state.computeIfAbsent(topic, x -> new TreeMap<>());
            if (value == null) {
              t.remove(key);
            } else {
              t.put(key, value);
            }
          },
          1_000,
          () -> ++version);
    }
  }

  @Property(tries = 25)
  void rebuildAfterACrashBetweenCommitAndPublicationConverges(@ForAll long seed) {
    Random random = new Random(seed);
    List<SurveySubmission> input = Scenarios.randomDistrict(random);
    List<Roster> rosters = Scenarios.randomRosters(random);
    Engine before = new Engine();
    rosters.forEach(before.aggregates::roster);
    Map<String, Map<String, SpecificRecordBase>> downstream = new HashMap<>();
    int publishedUpTo = input.isEmpty() ? 0 : random.nextInt(input.size());
    for (int i = 0; i < input.size(); i++) {
      before.submit(input.get(i));
      if (i == publishedUpTo) {
        before.emit(downstream); // the last publication before the crash
      }
    }
    // Crash: every history is committed, later changes were never published.
    Engine after = new Engine();
    after.version = before.version;
    before.histories.values().forEach(after.aggregates::load);
    rosters.forEach(after.aggregates::roster);
    after.aggregates.markAllDirty();
    after.emit(downstream);

    var expected =
        BatchMetrics.compute(
            input,
            rosters,
            s -> Scenarios.INSTRUMENT,
            Scenarios.settings(),
            true,
            Scenarios.outputs(TOPICS));
    expected
        .byTopic()
        .forEach(
            (topic, cells) ->
                OracleAssertions.assertMatches(
                    topic, downstream.getOrDefault(topic, Map.of()), cells));
    assertThat(after.aggregates.emit((t, k, v) -> {}, 2_000, () -> 0))
        .as("nothing left to publish once converged")
        .isZero();
  }
}

package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.CellKey;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.processor.Scenarios;
import dev.chorus.processor.oracle.BatchMetrics;
import dev.chorus.sink.SinkTables.Origin;
import dev.chorus.sink.SinkTables.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class SinkTablesTest {

  private static final ChorusTopics TOPICS = new ChorusTopics("t.");
  private static final Map<String, Table<?>> BY_TOPIC =
      SinkTables.all(TOPICS).stream().collect(Collectors.toMap(Table::topic, Function.identity()));

  private static Map<String, Object> row(Table<?> table, String key, Object value, long offset) {
    Map<String, Object> row = new HashMap<>();
    table.fill(key, value, new Origin(3, offset, 1_700_000_000_000L), row::put);
    return row;
  }

  private static BatchMetrics.Result outputs() {
    List<SurveySubmission> input = Scenarios.randomDistrict(new Random(7));
    return BatchMetrics.compute(
        input,
        Scenarios.randomRosters(new Random(7)),
        s -> Scenarios.INSTRUMENT,
        Scenarios.settings(),
        true,
        Scenarios.outputs(TOPICS));
  }

  @Test
  void everyOutputTopicHasATable() {
    assertThat(BY_TOPIC.keySet())
        .containsAll(outputs().byTopic().keySet())
        .contains(TOPICS.lateSubmissions(), TOPICS.rejected());
  }

  @Test
  void aRecordAndItsTombstoneLandOnTheSameSortingKey() {
    for (Map.Entry<String, Map<String, SpecificRecordBase>> topic :
        outputs().byTopic().entrySet()) {
      Table<?> table = BY_TOPIC.get(topic.getKey());
      for (Map.Entry<String, SpecificRecordBase> cell : topic.getValue().entrySet()) {
        Map<String, Object> live = row(table, cell.getKey(), cell.getValue(), 10);
        Map<String, Object> dead = row(table, cell.getKey(), null, 11);
        CellKey key = CellKey.parse(cell.getKey());
        for (String column :
            List.of(
                "cell_key",
                "district_id",
                "school_id",
                "cycle",
                "window_kind",
                "window_days",
                "as_of",
                "role_group",
                "cohort")) {
          assertThat(dead.get(column)).as(cell.getKey() + " " + column).isEqualTo(live.get(column));
        }
        assertThat(live.get("district_id")).isEqualTo(key.district());
        assertThat(live).containsEntry("_deleted", (short) 0).containsEntry("_offset", 10L);
        assertThat(dead).containsEntry("_deleted", (short) 1).containsEntry("_offset", 11L);
        assertThat(dead)
            .as("a tombstone sets every column without a default")
            .containsKeys(
                "suppressed",
                "suppression_reason",
                "n_band",
                "record_version",
                "computed_at",
                "_partition");
      }
    }
  }

  @Test
  void lateSubmissionsKeepNoPersonalData() {
    SurveySubmission s = Scenarios.randomDistrict(new Random(3)).get(0);
    Map<String, Object> row = row(BY_TOPIC.get(TOPICS.lateSubmissions()), "school", s, 1);
    assertThat(row.keySet())
        .containsExactlyInAnyOrder(
            "submission_id",
            "district_id",
            "school_id",
            "cycle",
            "submitted_at",
            "received_at",
            "_partition",
            "_offset",
            "_deleted");
  }

  @Test
  void aTombstoneOnATopicWithoutTombstonesOrWithABadKeyIsUnmappable() {
    assertThatThrownBy(() -> row(BY_TOPIC.get(TOPICS.lateSubmissions()), "school", null, 1))
        .isInstanceOf(SinkTables.UnmappableRecordException.class);
    assertThatThrownBy(() -> row(BY_TOPIC.get(TOPICS.scaleScores()), "not-a-cell-key", null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a cell key");
  }
}

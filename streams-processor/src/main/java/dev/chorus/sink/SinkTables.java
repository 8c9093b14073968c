package dev.chorus.sink;

import dev.chorus.avro.AnswerCount;
import dev.chorus.avro.DecisionPattern;
import dev.chorus.avro.GroupInfluence;
import dev.chorus.avro.GroupPatternShare;
import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.ItemDistribution;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.PerceptionGap;
import dev.chorus.avro.RejectedSubmission;
import dev.chorus.avro.RejectionReason;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.Suppression;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.avro.WindowKind;
import dev.chorus.contracts.CellKey;
import dev.chorus.contracts.ChorusTopics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which table each output topic is written to, and how a record (or a tombstone) becomes a row.
 * Pure mapping: no Kafka or ClickHouse types.
 */
public final class SinkTables {

  /** A row being written: column name to value (null for NULL). */
  public interface Row {
    void set(String column, Object value);
  }

  /** Where a record came from; its offset is the row's version. */
  public record Origin(int partition, long offset, long timestamp) {}

  /** A record that cannot become a row. */
  public static final class UnmappableRecordException extends RuntimeException {
    public UnmappableRecordException(String message) {
      super(message);
    }
  }

  /**
   * One topic → one table.
   *
   * @param tombstones whether null values withdraw the key's row (compacted metric topics)
   */
  public record Table<T>(
      String topic, String table, Class<T> type, boolean tombstones, Mapper<T> mapper) {

    /** Fills {@code row} from a record, or from the key alone when {@code value} is null. */
    public void fill(String key, Object value, Origin origin, Row row) {
      if (value == null) {
        if (!tombstones) {
          throw new UnmappableRecordException(
              "null value (tombstone) on " + topic + ", which has none");
        }
        if (key == null) {
          throw new UnmappableRecordException("tombstone without a key on " + topic);
        }
        identity(CellKey.parse(key), key, row);
        mapper.tombstone(row);
        // A tombstone carries no version or time of its own: the record's timestamp stands in.
        row.set("record_version", 0L);
        row.set("computed_at", Instant.ofEpochMilli(origin.timestamp()));
      } else {
        mapper.fill(key, type.cast(value), row);
      }
      row.set("_partition", origin.partition());
      row.set("_offset", origin.offset());
      row.set("_deleted", (short) (value == null ? 1 : 0));
    }
  }

  /** The mapping of one record type. */
  public interface Mapper<T> {
    void fill(String key, T value, Row row);

    /** Values of non-identity columns without defaults, for a tombstone row. */
    default void tombstone(Row row) {}
  }

  private SinkTables() {}

  /** Every table the sink writes, with its topic. */
  public static List<Table<?>> all(ChorusTopics topics) {
    return List.of(
        new Table<>(
            topics.scaleScores(),
            "scale_scores",
            ScaleScore.class,
            true,
            cell(
                ScaleScore::getCell,
                ScaleScore::getSuppression,
                ScaleScore::getVersion,
                ScaleScore::getComputedAt,
                (s, row) -> {
                  row.set("scale_id", s.getScaleId());
                  row.set("scale_kind", s.getScaleKind().name());
                  row.set("n", s.getN());
                  row.set("mean", s.getMean());
                  row.set("sd", s.getSd());
                  row.set("score_100", s.getScore100());
                  row.set("pct_favorable", s.getPctFavorable());
                  row.set("below_response_gate", s.getBelowResponseGate());
                },
                row -> {
                  row.set("scale_id", "");
                  row.set("scale_kind", "");
                  row.set("below_response_gate", false);
                })),
        new Table<>(
            topics.itemDistributions(),
            "item_distributions",
            ItemDistribution.class,
            true,
            cell(
                ItemDistribution::getCell,
                ItemDistribution::getSuppression,
                ItemDistribution::getVersion,
                ItemDistribution::getComputedAt,
                (d, row) -> {
                  row.set("item_id", d.getItemId());
                  row.set("scale_id", d.getScaleId());
                  row.set("n", d.getN());
                  List<Short> values = new ArrayList<>();
                  List<Long> counts = new ArrayList<>();
                  for (AnswerCount c : d.getCounts()) {
                    values.add((short) c.getValue());
                    counts.add(c.getCount());
                  }
                  row.set("answer_values", values);
                  row.set("answer_counts", counts);
                },
                row -> {
                  row.set("item_id", "");
                  row.set("scale_id", "");
                  row.set("answer_values", List.of());
                  row.set("answer_counts", List.of());
                })),
        new Table<>(
            topics.scaleChanges(),
            "scale_changes",
            ScaleChange.class,
            true,
            cell(
                ScaleChange::getCell,
                ScaleChange::getSuppression,
                ScaleChange::getVersion,
                ScaleChange::getComputedAt,
                (c, row) -> {
                  row.set("previous_cycle", c.getPreviousCycle());
                  row.set("scale_id", c.getScaleId());
                  row.set("delta_mean", c.getDeltaMean());
                  row.set("p_value", c.getPValue());
                  row.set("cohens_d", c.getCohensD());
                  row.set("significant", c.getSignificant());
                },
                row -> {
                  row.set("previous_cycle", "");
                  row.set("scale_id", "");
                })),
        new Table<>(
            topics.responseRates(),
            "response_rates",
            ResponseRate.class,
            true,
            cell(
                ResponseRate::getCell,
                ResponseRate::getSuppression,
                ResponseRate::getVersion,
                ResponseRate::getComputedAt,
                (r, row) -> {
                  row.set("respondents", r.getRespondents());
                  row.set("roster", r.getRoster());
                  row.set("rate", r.getRate());
                  row.set("below_response_gate", r.getBelowResponseGate());
                },
                row -> row.set("below_response_gate", false))),
        new Table<>(
            topics.influence(),
            "influence",
            InfluenceDistribution.class,
            true,
            cell(
                InfluenceDistribution::getCell,
                InfluenceDistribution::getSuppression,
                InfluenceDistribution::getVersion,
                InfluenceDistribution::getComputedAt,
                SinkTables::influence,
                row -> {
                  row.set("decision_area", "");
                  for (String column : INFLUENCE_ARRAYS) {
                    row.set(column, List.of());
                  }
                })),
        new Table<>(
            topics.decisionPatterns(),
            "decision_patterns",
            DecisionPattern.class,
            true,
            cell(
                DecisionPattern::getCell,
                DecisionPattern::getSuppression,
                DecisionPattern::getVersion,
                DecisionPattern::getComputedAt,
                SinkTables::patterns,
                row -> {
                  for (String column : PATTERN_ARRAYS) {
                    row.set(column, List.of());
                  }
                })),
        new Table<>(
            topics.lateSubmissions(),
            "late_submissions",
            SurveySubmission.class,
            false,
            (key, s, row) -> {
              // Identifiers and times only: never answers, respondent keys or free text.
              row.set("submission_id", s.getSubmissionId());
              row.set("district_id", s.getDistrictId());
              row.set("school_id", s.getSchoolId());
              row.set("cycle", s.getCycle());
              row.set("submitted_at", s.getSubmittedAt());
              row.set("received_at", s.getReceivedAt());
            }),
        new Table<>(
            topics.rejected(),
            "rejected_submissions",
            RejectedSubmission.class,
            false,
            (key, r, row) -> {
              // Reason codes and the offending field names only: never the raw content.
              row.set("rejection_id", r.getRejectionId());
              row.set("district_id", r.getDistrictId());
              row.set("school_id", orEmpty(r.getSchoolId()));
              row.set("cycle", orEmpty(r.getCycle()));
              row.set("instrument_id", orEmpty(r.getInstrumentId()));
              row.set("channel", r.getSource().getChannel().name());
              row.set("upload_id", orEmpty(r.getSource().getUploadId()));
              row.set("received_at", r.getReceivedAt());
              List<String> codes = new ArrayList<>();
              List<String> fields = new ArrayList<>();
              for (RejectionReason reason : r.getReasons()) {
                codes.add(reason.getCode().name());
                fields.add(orEmpty(reason.getField()));
              }
              row.set("reason_codes", codes);
              row.set("reason_fields", fields);
            }));
  }

  private static final List<String> INFLUENCE_ARRAYS =
      List.of(
          "groups_name",
          "groups_raters",
          "groups_mean_rating",
          "groups_influence",
          "groups_share",
          "gaps_group",
          "gaps_administrators_rating",
          "gaps_own_rating",
          "gaps_gap");

  private static final List<String> PATTERN_ARRAYS =
      List.of("group_names", "group_shaped", "group_input", "group_led", "group_implemented");

  private static void influence(InfluenceDistribution d, Row row) {
    row.set("decision_area", d.getDecisionArea());
    row.set("raters", d.getRaters());
    List<String> names = new ArrayList<>();
    List<Integer> raters = new ArrayList<>();
    List<Double> mean = new ArrayList<>();
    List<Double> influence = new ArrayList<>();
    List<Double> share = new ArrayList<>();
    for (GroupInfluence g : d.getGroups()) {
      names.add(g.getGroup());
      raters.add(g.getRaters());
      mean.add(g.getMeanRating());
      influence.add(g.getInfluence());
      share.add(g.getShare());
    }
    row.set("groups_name", names);
    row.set("groups_raters", raters);
    row.set("groups_mean_rating", mean);
    row.set("groups_influence", influence);
    row.set("groups_share", share);
    row.set("total_influence", d.getTotalInfluence());
    row.set("gini", d.getGini());
    row.set("gini_corrected", d.getGiniCorrected());
    row.set("evenness", d.getEvenness());
    row.set("hhi", d.getHhi());
    row.set("hhi_normalized", d.getHhiNormalized());
    row.set("effective_groups", d.getEffectiveGroups());
    row.set("top_group", d.getTopGroup());
    row.set("top_share", d.getTopShare());
    row.set("admin_teacher_gap", d.getAdminTeacherGap());
    row.set("undefined_reason", d.getUndefinedReason());
    List<String> gapGroups = new ArrayList<>();
    List<Double> admin = new ArrayList<>();
    List<Double> own = new ArrayList<>();
    List<Double> gap = new ArrayList<>();
    for (PerceptionGap g : d.getPerceptionGaps()) {
      gapGroups.add(g.getGroup());
      admin.add(g.getAdministratorsRating());
      own.add(g.getOwnRating());
      gap.add(g.getGap());
    }
    row.set("gaps_group", gapGroups);
    row.set("gaps_administrators_rating", admin);
    row.set("gaps_own_rating", own);
    row.set("gaps_gap", gap);
  }

  private static void patterns(DecisionPattern p, Row row) {
    row.set("reports", p.getReports());
    List<String> names = new ArrayList<>();
    List<Double> shaped = new ArrayList<>();
    List<Double> input = new ArrayList<>();
    List<Double> led = new ArrayList<>();
    List<Double> implemented = new ArrayList<>();
    for (GroupPatternShare g : p.getGroups()) {
      names.add(g.getGroup());
      shaped.add(g.getShaped());
      input.add(g.getInput());
      led.add(g.getLed());
      implemented.add(g.getImplemented());
    }
    row.set("group_names", names);
    row.set("group_shaped", shaped);
    row.set("group_input", input);
    row.set("group_led", led);
    row.set("group_implemented", implemented);
    row.set("shaping_breadth", p.getShapingBreadth());
    row.set("non_admin_shaped_share", p.getNonAdminShapedShare());
    row.set("hierarchy_mode_share", p.getHierarchyModeShare());
    row.set("co_ownership_share", p.getCoOwnershipShare());
  }

  /** The mapping of a metric record: the cell's identity, suppression and version, then its own. */
  private static <T> Mapper<T> cell(
      Function<T, MetricCell> cellOf,
      Function<T, Suppression> suppressionOf,
      Function<T, Long> versionOf,
      Function<T, Instant> computedAtOf,
      java.util.function.BiConsumer<T, Row> own,
      java.util.function.Consumer<Row> tombstone) {
    return new Mapper<>() {
      @Override
      public void fill(String key, T value, Row row) {
        MetricCell cell = cellOf.apply(value);
        boolean rolling = cell.getWindow().getKind() == WindowKind.ROLLING;
        CellKey identity =
            new CellKey(
                cell.getDistrictId(),
                cell.getSchoolId(),
                cell.getCycle(),
                rolling ? cell.getWindow().getDays() : null,
                rolling ? cell.getWindow().getAsOf() : null,
                "",
                cell.getRoleGroup(),
                cell.getCohort());
        identity(identity, key, row);
        Suppression s = suppressionOf.apply(value);
        row.set("suppressed", s.getSuppressed());
        row.set("suppression_reason", s.getReason().name());
        row.set("n_band", s.getNBand());
        row.set("record_version", versionOf.apply(value));
        row.set("computed_at", computedAtOf.apply(value));
        own.accept(value, row);
      }

      @Override
      public void tombstone(Row row) {
        row.set("suppressed", false);
        row.set("suppression_reason", "NONE");
        row.set("n_band", "");
        tombstone.accept(row);
      }
    };
  }

  private static void identity(CellKey cell, String key, Row row) {
    row.set("cell_key", key);
    row.set("district_id", cell.district());
    row.set("school_id", orEmpty(cell.school()));
    row.set("cycle", cell.cycle());
    row.set("window_kind", cell.cycleToDate() ? "CYCLE_TO_DATE" : "ROLLING");
    row.set("window_days", cell.cycleToDate() ? 0 : cell.days());
    row.set("as_of", cell.asOf());
    row.set("role_group", cell.roleGroup());
    row.set("cohort", orEmpty(cell.cohort()));
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}

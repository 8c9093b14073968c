package dev.chorus.processor.topology;

import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ScaleKind;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.Suppression;
import dev.chorus.avro.SuppressionReason;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.avro.WindowKind;
import dev.chorus.avro.WindowSpec;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.processor.latest.LatestWins;
import dev.chorus.processor.scores.ScaleScoring;
import dev.chorus.processor.scores.ScaleStats;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cycle-to-date scale scores per school (domain spec §4, §6, §9). For each submission: a submission
 * id seen before is a no-op; a submission that is not its respondent's latest changes nothing;
 * otherwise the respondent's earlier contribution is retracted and the new one added, exactly, and
 * every role group of each changed scale is republished with suppression applied. Submissions are
 * keyed by school, so each school's state lives in one partition.
 */
final class ScaleScoresProcessor
    implements Processor<String, SurveySubmission, String, ScaleScore> {

  private static final Logger LOG = LoggerFactory.getLogger(ScaleScoresProcessor.class);
  static final String ALL = "ALL";

  private final SmallCellPolicy policy;
  private final Map<String, ScaleScoring> scorings = new HashMap<>();
  private final Map<String, Instrument> instruments = new HashMap<>();
  private ProcessorContext<String, ScaleScore> context;
  private KeyValueStore<String, Long> seenIds;
  private KeyValueStore<String, SurveySubmission> latest;
  private KeyValueStore<String, CellSet> cells;
  private TimestampedKeyValueStore<String, InstrumentDefinition> instrumentStore;

  ScaleScoresProcessor(SmallCellPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void init(ProcessorContext<String, ScaleScore> context) {
    this.context = context;
    this.seenIds = context.getStateStore(ScoresTopology.SEEN_IDS_STORE);
    this.latest = context.getStateStore(ScoresTopology.LATEST_STORE);
    this.cells = context.getStateStore(ScoresTopology.SCALE_CELLS_STORE);
    this.instrumentStore = context.getStateStore(ScoresTopology.INSTRUMENTS_STORE);
  }

  @Override
  public void process(Record<String, SurveySubmission> record) {
    SurveySubmission s = record.value();
    if (s == null || seenIds.get(s.getSubmissionId()) != null) {
      return;
    }
    seenIds.put(s.getSubmissionId(), s.getReceivedAt().toEpochMilli());
    Instrument instrument = instrument(s);
    if (instrument == null) {
      LOG.warn(
          "Submission {} names instrument {} v{} which the processor does not know; skipped",
          s.getSubmissionId(),
          s.getInstrumentId(),
          s.getInstrumentVersion());
      return;
    }
    String respondent = LatestWins.respondentKey(s);
    SurveySubmission previous = latest.get(respondent);
    if (!LatestWins.supersedes(s, previous)) {
      return;
    }
    latest.put(respondent, s);
    Map<String, ScaleScoring.Contribution> removed =
        previous == null
            ? Map.of()
            : scoring(instrument(previous)).contributions(previous.getAnswers());
    Map<String, ScaleScoring.Contribution> added =
        scoring(instrument).contributions(s.getAnswers());
    Set<String> scales = new LinkedHashSet<>(removed.keySet());
    scales.addAll(added.keySet());
    for (String scaleId : scales) {
      String key = cellSetKey(s, scaleId);
      CellSet set = cells.get(key);
      Map<String, ScaleStats> groups = new TreeMap<>(set == null ? Map.of() : set.groups());
      ScaleScoring.Contribution before = removed.get(scaleId);
      if (before != null) {
        apply(groups, previous.getRole().name(), g -> g.minus(before));
        apply(groups, ALL, g -> g.minus(before));
      }
      ScaleScoring.Contribution after = added.get(scaleId);
      if (after != null) {
        apply(groups, s.getRole().name(), g -> g.plus(after));
        apply(groups, ALL, g -> g.plus(after));
      }
      long version = (set == null ? 0 : set.version()) + 1;
      cells.put(key, new CellSet(version, groups));
      publish(
          s,
          scaleId,
          instrument,
          set == null ? Map.of() : set.groups(),
          groups,
          version,
          record.timestamp());
    }
  }

  private static void apply(
      Map<String, ScaleStats> groups,
      String group,
      java.util.function.UnaryOperator<ScaleStats> change) {
    ScaleStats next = change.apply(groups.getOrDefault(group, ScaleStats.EMPTY));
    if (next.n() == 0) {
      groups.remove(group);
    } else {
      groups.put(group, next);
    }
  }

  private void publish(
      SurveySubmission s,
      String scaleId,
      Instrument instrument,
      Map<String, ScaleStats> before,
      Map<String, ScaleStats> groups,
      long version,
      long timestamp) {
    Map<String, Long> n = new TreeMap<>();
    groups.forEach((group, stats) -> n.put(group, stats.n()));
    Map<String, SmallCellPolicy.Decision> decisions = policy.cellSet(ALL, n);
    ScaleKind kind =
        instrument.scales().stream()
            .filter(x -> x.id().equals(scaleId))
            .map(x -> ScaleKind.valueOf(x.kind().name()))
            .findFirst()
            .orElse(ScaleKind.UNKNOWN);
    int points = scoring(instrument).points(scaleId);
    for (var entry : groups.entrySet()) {
      String group = entry.getKey();
      ScaleStats stats = entry.getValue();
      SmallCellPolicy.Decision d = decisions.get(group);
      long denominator = ScaleScoring.DENOMINATOR;
      double sd = stats.sd(denominator);
      ScaleScore score =
          ScaleScore.newBuilder()
              .setCell(cell(s, group))
              .setScaleId(scaleId)
              .setScaleKind(kind)
              .setN(d.suppressed() ? null : (int) stats.n())
              .setMean(d.suppressed() ? null : stats.mean(denominator))
              .setSd(d.suppressed() || Double.isNaN(sd) ? null : sd)
              .setScore100(d.suppressed() ? null : stats.score100(denominator, points))
              .setPctFavorable(d.suppressed() ? null : stats.pctFavorable())
              .setSuppression(
                  new Suppression(
                      d.suppressed(), SuppressionReason.valueOf(d.reason().name()), d.nBand()))
              .setVersion(version)
              .setComputedAt(Instant.ofEpochMilli(timestamp))
              .build();
      context.forward(new Record<>(cellKey(s, scaleId, group), score, timestamp));
    }
    for (String group : before.keySet()) {
      if (!groups.containsKey(group)) {
        // The group has no respondents left (a resubmission changed role): withdraw its cell.
        context.forward(new Record<>(cellKey(s, scaleId, group), null, timestamp));
      }
    }
  }

  private static MetricCell cell(SurveySubmission s, String group) {
    return MetricCell.newBuilder()
        .setDistrictId(s.getDistrictId())
        .setSchoolId(s.getSchoolId())
        .setCycle(s.getCycle())
        .setWindow(new WindowSpec(WindowKind.CYCLE_TO_DATE, null, null))
        .setRoleGroup(group)
        .setCohort(null)
        .build();
  }

  /** Output key: the cell's identity. */
  static String cellKey(SurveySubmission s, String scaleId, String group) {
    return cellSetKey(s, scaleId) + "|" + group;
  }

  private static String cellSetKey(SurveySubmission s, String scaleId) {
    return s.getDistrictId() + "|" + s.getSchoolId() + "|" + s.getCycle() + "|CTD|" + scaleId;
  }

  private Instrument instrument(SurveySubmission s) {
    String cacheKey =
        s.getDistrictId() + "/" + s.getInstrumentId() + "/" + s.getInstrumentVersion();
    Instrument cached = instruments.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    for (String key :
        new String[] {
          InstrumentAvro.topicKey(s.getDistrictId(), s.getInstrumentId(), s.getInstrumentVersion()),
          InstrumentAvro.topicKey(null, s.getInstrumentId(), s.getInstrumentVersion())
        }) {
      ValueAndTimestamp<InstrumentDefinition> found = instrumentStore.get(key);
      if (found != null && found.value() != null) {
        Instrument instrument = InstrumentAvro.fromAvro(found.value());
        instruments.put(cacheKey, instrument);
        return instrument;
      }
    }
    return null;
  }

  private ScaleScoring scoring(Instrument instrument) {
    return scorings.computeIfAbsent(
        instrument.id() + "@" + instrument.version(), k -> new ScaleScoring(instrument));
  }
}

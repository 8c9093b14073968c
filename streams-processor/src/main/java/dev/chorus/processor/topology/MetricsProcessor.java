package dev.chorus.processor.topology;

import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.Roster;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.processor.engine.Aggregates;
import dev.chorus.processor.engine.RespondentHistory;
import dev.chorus.processor.latest.LatestWins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of the metrics (domain spec §4–9): input is each district's submissions and
 * rosters (one task holds all of a district's schools, so district rollups and complementary
 * suppression across schools are local). Durable state is small and per record: each respondent's
 * {@link RespondentHistory}, rosters, submissions waiting for their instrument, and the version
 * counter. The {@link Aggregates} are rebuilt from those stores when a task starts and publish on a
 * wall-clock punctuation, so every publication commits atomically with the state and input offsets
 * it reflects (exactly-once).
 */
final class MetricsProcessor implements Processor<String, Object, String, Routed> {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsProcessor.class);
  private static final String VERSION_KEY = "version";

  private final MetricsSettings settings;
  private final ChorusTopics topics;
  private final ProcessorMetrics metrics;
  private final Map<String, Instrument> instruments = new HashMap<>();
  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, RespondentHistory> histories;
  private KeyValueStore<String, Roster> rosters;
  private KeyValueStore<String, SurveySubmission> parked;
  private KeyValueStore<String, Long> emitState;
  private TimestampedKeyValueStore<String, InstrumentDefinition> instrumentStore;
  private Aggregates aggregates;
  private long parkedCount;
  private long version;
  private long lastPublishedAt;
  private long lastRecordTimestamp = -1;

  MetricsProcessor(MetricsSettings settings, ChorusTopics topics, ProcessorMetrics metrics) {
    this.settings = settings;
    this.topics = topics;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.histories = context.getStateStore(MetricsTopology.HISTORIES_STORE);
    this.rosters = context.getStateStore(MetricsTopology.ROSTERS_STORE);
    this.parked = context.getStateStore(MetricsTopology.PARKED_STORE);
    this.emitState = context.getStateStore(MetricsTopology.EMIT_STATE_STORE);
    this.instrumentStore = context.getStateStore(MetricsTopology.INSTRUMENTS_STORE);
    this.instruments.clear();
    Map<Class<?>, String> outputs = MetricsTopology.outputTopics(topics);
    this.aggregates =
        Aggregates.standard(
            settings.aggregates(), settings.rollingItemDistributions(), outputs, this::instrument);
    rebuild();
    context.schedule(settings.emitInterval(), PunctuationType.WALL_CLOCK_TIME, this::emit);
  }

  /** Derives the aggregates from the durable stores; everything is published once afterwards. */
  private void rebuild() {
    long started = System.nanoTime();
    long respondents = 0;
    try (KeyValueIterator<String, RespondentHistory> all = histories.all()) {
      while (all.hasNext()) {
        aggregates.load(all.next().value);
        respondents++;
      }
    }
    try (KeyValueIterator<String, Roster> all = rosters.all()) {
      all.forEachRemaining(kv -> aggregates.roster(kv.value));
    }
    metrics.waiting.addAndGet(-parkedCount);
    parkedCount = 0;
    try (KeyValueIterator<String, SurveySubmission> all = parked.all()) {
      while (all.hasNext()) {
        all.next();
        parkedCount++;
      }
    }
    metrics.waiting.addAndGet(parkedCount);
    Long stored = emitState.get(VERSION_KEY);
    version = stored == null ? 0 : stored;
    aggregates.markAllDirty();
    if (respondents > 0) {
      LOG.info(
          "Task {}: rebuilt metrics of {} respondents in {} ms; republishing every cell",
          context.taskId(),
          respondents,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  @Override
  public void process(Record<String, Object> record) {
    lastRecordTimestamp = record.timestamp();
    if (record.value() instanceof Roster roster) {
      rosters.put(
          roster.getDistrictId() + "/" + roster.getCycle() + "/" + roster.getSchoolId(), roster);
      aggregates.roster(roster);
      return;
    }
    DistrictRouter.Located received = (DistrictRouter.Located) record.value();
    SurveySubmission s = received.submission();
    String key = LatestWins.respondentKey(s);
    RespondentHistory before = histories.get(key);
    if (before != null && before.contains(s.getSubmissionId())) {
      metrics.duplicates.increment();
      return;
    }
    if (instrument(s) == null) {
      if (parked.get(s.getSubmissionId()) == null) {
        parked.put(s.getSubmissionId(), s);
        parkedCount++;
        metrics.waiting.incrementAndGet();
        metrics.parked.increment();
        LOG.warn(
            "Submission {} names instrument {} v{} which has not arrived yet; parked until it does",
            s.getSubmissionId(),
            s.getInstrumentId(),
            s.getInstrumentVersion());
      }
      return;
    }
    accept(s, received.bytes(), key, before, record.timestamp());
  }

  /**
   * Applies a submission not seen before: {@code before} is its respondent's history so far (null
   * for a new respondent). The history holds every submission ever applied, so it also answers
   * "seen before?" (an anonymous submission is its own respondent).
   *
   * @param wire the submission as received (registry wire format), or null to encode it
   */
  private void accept(
      SurveySubmission s, byte[] wire, String key, RespondentHistory before, long timestamp) {
    boolean isLate = aggregates.isLate(s);
    if (isLate) {
      metrics.late.increment();
      context.forward(
          new Record<>(s.getSchoolId(), new Routed(topics.lateSubmissions(), s), timestamp));
    }
    RespondentHistory.Entry entry = new RespondentHistory.Entry(s, !isLate, wire);
    RespondentHistory after = before == null ? RespondentHistory.of(entry) : before.with(entry);
    histories.put(key, after);
    aggregates.apply(before, after);
    metrics.applied.increment();
  }

  private void emit(long now) {
    // Behind: the newest record processed since the last publication was written more than
    // five publication intervals (at least 5 s) ago.
    long behind = Math.max(5_000, 5 * settings.emitInterval().toMillis());
    boolean catchingUp = lastRecordTimestamp >= 0 && now - lastRecordTimestamp > behind;
    if (catchingUp && now - lastPublishedAt < settings.backlogEmitInterval().toMillis()) {
      return; // replaying a backlog: publish its intermediate states less often
    }
    lastPublishedAt = now;
    lastRecordTimestamp = -1;
    if (parkedCount > 0) {
      retryParked(now);
    }
    long started = System.nanoTime();
    int count =
        aggregates.emit(
            (topic, key, value) ->
                context.forward(new Record<>(key, new Routed(topic, value), now)),
            now,
            () -> {
              version = Math.max(version + 1, now * 1000);
              return version;
            });
    if (count > 0) {
      metrics.publication.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      emitState.put(VERSION_KEY, version);
      metrics.published.increment(count);
      // Readers see outputs only once the transaction commits: commit now rather than at the
      // next commit interval, so what was just published becomes visible at once.
      context.commit();
    }
  }

  private void retryParked(long now) {
    List<KeyValue<String, SurveySubmission>> ready = new ArrayList<>();
    try (KeyValueIterator<String, SurveySubmission> all = parked.all()) {
      all.forEachRemaining(
          kv -> {
            if (instrument(kv.value) != null) {
              ready.add(kv);
            }
          });
    }
    for (KeyValue<String, SurveySubmission> kv : ready) {
      parked.delete(kv.key);
      parkedCount--;
      metrics.waiting.decrementAndGet();
      String key = LatestWins.respondentKey(kv.value);
      RespondentHistory before = histories.get(key);
      if (before == null || !before.contains(kv.key)) {
        accept(kv.value, null, key, before, now);
      }
    }
    if (!ready.isEmpty()) {
      LOG.info("Applied {} parked submission(s) whose instrument arrived", ready.size());
    }
  }

  @Override
  public void close() {
    metrics.waiting.addAndGet(-parkedCount);
    parkedCount = 0;
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
}

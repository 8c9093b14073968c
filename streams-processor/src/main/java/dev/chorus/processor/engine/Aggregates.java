package dev.chorus.processor.engine;

import dev.chorus.avro.Roster;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.metrics.ResponseRatesReducer;
import dev.chorus.processor.metrics.ScaleChanges;
import dev.chorus.processor.metrics.ScaleScoresReducer;
import dev.chorus.processor.scores.CountAccumulator;
import dev.chorus.processor.scores.ScaleAccumulator;
import dev.chorus.processor.scores.ScaleScoring;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The shared aggregation machinery (domain spec §4–6, §8–9), in memory and free of Kafka types.
 *
 * <p>Input is each respondent's {@link RespondentHistory} before and after a new submission. The
 * history's last entry counts for the cycle to date; for each rolling window W an entry on day a
 * counts as of the days [a, min(a + W, day of the respondent's next entry)). It is added once to a
 * series of start deltas at a, shared by every window; window W on day d is the starts through d
 * minus the starts through d − W, minus "early ends" where a next entry cut an interval short. So a
 * record costs one delta whatever W and the number of windows are, and a resubmission only moves
 * its predecessor's early end. Cells are found by number (school within the district, role
 * ordinal), not by name. Every {@link Reducer} turns an entry into contributions per metric, which
 * land in four breakdowns — the school and the district rollup, the respondent's role and ALL — for
 * all cohorts and for each cohort tag. They are staged in the leaf (school and role) only, and each
 * staged leaf is merged into its four breakdowns once, at the start of {@link #emit}.
 *
 * <p>Nothing is published while records are applied. {@link #emit} publishes what changed: cycle to
 * date cells whose record differs from the last published one, and rolling daily rows from the
 * earliest changed day through the district's newest event day. Suppression is decided per family
 * (every school, the district, every role group of one metric, window, day and cohort), so
 * complementary suppression sees all cells that add up. Cells are never forgotten: an emptied cell
 * is withdrawn with a tombstone.
 *
 * <p>The state is derived: a processor rebuilds it from the stored histories ({@link #load}) and
 * then publishes everything once ({@link #markAllDirty}), which makes recovery after a crash exact.
 */
public final class Aggregates {

  /** Where published records go; a null value withdraws the key. */
  public interface Output {
    void emit(String topic, String key, SpecificRecordBase value);
  }

  /**
   * Window, privacy and gate settings.
   *
   * @param rollingWindowDays the rolling windows W (days), e.g. 30 and 90
   * @param grace how far behind the district's newest event time a record may be and still update
   *     rolling history
   * @param responseGate response rate below which results are flagged, or null for no gate
   */
  public record Settings(
      List<Integer> rollingWindowDays,
      Duration grace,
      SmallCellPolicy policy,
      Double responseGate) {
    public Settings {
      rollingWindowDays = List.copyOf(rollingWindowDays);
      for (int w : rollingWindowDays) {
        if (w < 1) {
          throw new IllegalArgumentException("rolling windows must be at least 1 day, got " + w);
        }
      }
    }
  }

  private static final long DAY_MS = 86_400_000L;
  private static final String DISTRICT = "";
  private static final List<String> ALL_COHORTS = java.util.Collections.singletonList(null);

  private final Settings settings;
  private final int[] windows;
  private final long graceMs;
  private final Function<SurveySubmission, Instrument> instruments;
  private final List<Table<?, ?>> tables = new ArrayList<>();
  private final Table<ScaleScoring.Contribution, ScaleAccumulator> scaleTable;
  private final Table<Boolean, CountAccumulator> responseTable;
  private final String changesTopic;
  private final Map<String, DistrictState> districts = new HashMap<>();
  private final RosterBook rosters = new RosterBook();
  private final Set<String> gatesToRefresh = new LinkedHashSet<>();
  private final Set<FamilyKey> changesToEmit = new LinkedHashSet<>();
  private final Map<FamilyKey, Map<String, SpecificRecordBase>> publishedChanges = new HashMap<>();
  private final Reducer.Context context = new PublishContext();
  private boolean changesFull;

  /**
   * @param topics output topic per published record type (every reducer's, and {@link ScaleChange})
   * @param instruments the instrument each submission names (must be known for every applied one)
   */
  public Aggregates(
      Settings settings,
      ScaleScoresReducer scales,
      ResponseRatesReducer responses,
      List<Reducer<?, ?>> others,
      Map<Class<?>, String> topics,
      Function<SurveySubmission, Instrument> instruments) {
    this.settings = settings;
    this.windows = settings.rollingWindowDays().stream().mapToInt(Integer::intValue).toArray();
    this.graceMs = settings.grace().toMillis();
    this.instruments = instruments;
    this.scaleTable = new Table<>(scales, topic(topics, scales.outputType()));
    this.responseTable = new Table<>(responses, topic(topics, responses.outputType()));
    tables.add(scaleTable);
    tables.add(responseTable);
    for (Reducer<?, ?> r : others) {
      tables.add(table(r, topic(topics, r.outputType())));
    }
    this.changesTopic = topic(topics, ScaleChange.class);
  }

  private <C, A extends Accumulator<C, A>> Table<C, A> table(Reducer<C, A> r, String t) {
    return new Table<>(r, t);
  }

  /**
   * The processor's metrics: scale scores, response rates (and with them changes and the gate),
   * item distributions and influence distributions.
   */
  public static Aggregates standard(
      Settings settings,
      boolean rollingItemDistributions,
      Map<Class<?>, String> topics,
      Function<SurveySubmission, Instrument> instruments) {
    return new Aggregates(
        settings,
        new ScaleScoresReducer(),
        new ResponseRatesReducer(),
        otherReducers(rollingItemDistributions),
        topics,
        instruments);
  }

  /** Fresh instances of the reducers besides scale scores and response rates. */
  public static List<Reducer<?, ?>> otherReducers(boolean rollingItemDistributions) {
    return List.of(
        new dev.chorus.processor.metrics.ItemDistributionsReducer(rollingItemDistributions),
        new dev.chorus.processor.influence.InfluenceReducer(),
        new dev.chorus.processor.influence.DecisionPatternsReducer());
  }

  private static String topic(Map<Class<?>, String> topics, Class<?> type) {
    String topic = topics.get(type);
    if (topic == null) {
      throw new IllegalArgumentException("no output topic for " + type.getSimpleName());
    }
    return topic;
  }

  /**
   * Whether a submission is later than the grace behind the newest event time of its school. Per
   * school, because a school's submissions stay in order on their way to the processor (one
   * partition) while different schools' interleave arbitrarily when a backlog is replayed.
   */
  public boolean isLate(SurveySubmission s) {
    DistrictState d = districts.get(s.getDistrictId());
    Long newest = d == null ? null : d.newestBySchool.get(s.getSchoolId());
    return newest != null && s.getSubmittedAt().toEpochMilli() < newest - graceMs;
  }

  /** Replays a stored history into the state (rebuild after a restart). */
  public void load(RespondentHistory history) {
    RespondentHistory before = null;
    for (RespondentHistory.Entry e : history.entries()) {
      RespondentHistory after = before == null ? RespondentHistory.of(e) : before.with(e);
      apply(before, after);
      before = after;
    }
  }

  /**
   * Applies one respondent's change: {@code after} is {@code before} (null for a new respondent)
   * with one more entry.
   */
  public void apply(RespondentHistory before, RespondentHistory after) {
    SurveySubmission first = after.latest().submission();
    DistrictState d = districts.computeIfAbsent(first.getDistrictId(), k -> new DistrictState());
    for (RespondentHistory.Entry e : after.entries()) {
      if (before == null || !before.contains(id(e))) {
        d.observe(e); // only the new entry: the others were observed when they arrived
      }
    }
    Map<String, Effect> effects = new LinkedHashMap<>();
    RespondentHistory.Entry oldLatest = before == null ? null : before.latest();
    RespondentHistory.Entry newLatest = after.latest();
    if (oldLatest == null || !id(oldLatest).equals(id(newLatest))) {
      if (oldLatest != null) {
        effect(effects, oldLatest).ctd -= 1;
      }
      effect(effects, newLatest).ctd += 1;
    }
    Map<String, Integer> oldNext = nextDays(before);
    Map<String, Integer> newNext = nextDays(after);
    for (RespondentHistory.Entry e : after.entries()) {
      if (!e.rolling()) {
        continue;
      }
      Integer o = oldNext.get(id(e)); // null: the entry is new
      int n = newNext.get(id(e));
      if (o != null && o == n) {
        continue;
      }
      // An entry on day a counts from a (a "start", shared by every window) until the day of the
      // respondent's next entry or a + W, whichever comes first; it never counts if the next
      // entry is on the same day. Window W sees starts minus the starts W days earlier, minus an
      // "early end" wherever the next entry cuts the entry short: +1 at the cut, −1 at a + W.
      int a = day(e);
      boolean oldCounts = o != null && o > a;
      boolean newCounts = n > a;
      if (oldCounts != newCounts) {
        effect(effects, e).start(a, newCounts ? 1 : -1);
      }
      for (int w = 0; w < windows.length; w++) {
        int expiry = a + windows[w];
        int oldCut = oldCounts ? Math.min(o, expiry) : expiry;
        int newCut = newCounts ? Math.min(n, expiry) : expiry;
        if (oldCut != newCut) {
          effect(effects, e).point(w, oldCut, -1).point(w, newCut, 1);
        }
      }
    }
    int school = effects.isEmpty() ? 0 : d.scope(first.getSchoolId());
    for (Effect effect : effects.values()) {
      SurveySubmission s = canonical(effect.entry.submission());
      Instrument instrument = instruments.apply(s);
      if (instrument == null) {
        throw new IllegalStateException(
            "instrument of submission " + s.getSubmissionId() + " is not known");
      }
      for (Table<?, ?> t : tables) {
        t.apply(s, instrument, effect, school);
      }
    }
    if (effects.values().stream().anyMatch(e -> e.ctd != 0)) {
      gatesToRefresh.add(first.getDistrictId() + "|" + first.getCycle());
    }
  }

  /** Takes a district's roster of one school and cycle into account (replacing an earlier one). */
  public void roster(Roster roster) {
    districts.computeIfAbsent(roster.getDistrictId(), k -> new DistrictState());
    rosters.put(roster);
    Family<CountAccumulator> f =
        responseTable.family(
            new FamilyKey(
                roster.getDistrictId(), roster.getCycle(), ResponseRatesReducer.METRIC, null));
    for (String scope : new String[] {roster.getSchoolId(), DISTRICT}) {
      f.cell(scope, Cells.ALL, responseTable.reducer);
      rosters
          .roles(roster.getDistrictId(), roster.getCycle(), roster.getSchoolId())
          .forEach(role -> f.cell(scope, role, responseTable.reducer));
    }
    responseTable.markCtd(f);
    gatesToRefresh.add(roster.getDistrictId() + "|" + roster.getCycle());
  }

  /** Marks every cell for publication (after a rebuild). */
  public void markAllDirty() {
    for (Table<?, ?> t : tables) {
      for (Family<?> f : t.families.values()) {
        f.full = true;
        t.markCtd(f);
        for (Series<?> s : f.series) {
          s.markAll();
        }
      }
    }
    districts.values().forEach(d -> d.cycleOrderChanged = true);
    changesFull = true;
    for (Family<?> f : responseTable.families.values()) {
      gatesToRefresh.add(f.key.district() + "|" + f.key.cycle());
    }
  }

  /**
   * Publishes what changed since the last call.
   *
   * @param versions the next version for each published record (monotonic)
   * @return how many records were published
   */
  public int emit(Output out, long nowMs, LongSupplier versions) {
    Stamper stamper = new Stamper(out, Instant.ofEpochMilli(nowMs), versions);
    for (Table<?, ?> t : tables) {
      t.flush();
    }
    refreshGates();
    for (Table<?, ?> t : tables) {
      t.emit(stamper);
    }
    emitChanges(stamper);
    return stamper.count;
  }

  private final Map<String, String> canonical = new HashMap<>();

  /**
   * The submission with its district, school and cycle replaced by one shared String instance each,
   * so the hot lookups hash and compare them once (deserialized strings are new objects).
   */
  private SurveySubmission canonical(SurveySubmission s) {
    s.put("district_id", intern(s.getDistrictId()));
    s.put("school_id", intern(s.getSchoolId()));
    s.put("cycle", intern(s.getCycle()));
    return s;
  }

  private String intern(String value) {
    String known = canonical.putIfAbsent(value, value);
    return known == null ? value : known;
  }

  // ---- response gate -------------------------------------------------------------------------

  private void refreshGates() {
    for (String districtCycle : gatesToRefresh) {
      int bar = districtCycle.indexOf('|');
      String district = districtCycle.substring(0, bar);
      String cycle = districtCycle.substring(bar + 1);
      DistrictState d = districts.get(district);
      Family<CountAccumulator> f =
          responseTable.families.get(
              new FamilyKey(district, cycle, ResponseRatesReducer.METRIC, null));
      if (d == null || f == null) {
        continue;
      }
      boolean changed = false;
      for (var scope : f.ctd.entrySet()) {
        String school = scope.getKey().equals(DISTRICT) ? null : scope.getKey();
        CountAccumulator all = scope.getValue().get(Cells.ALL);
        boolean below =
            RosterBook.belowGate(
                settings.responseGate(),
                rosters.roster(district, school, cycle, Cells.ALL),
                all == null ? 0 : all.n());
        Boolean previous = d.gates.put(cycle + "|" + scope.getKey(), below);
        changed |= previous == null ? below : previous != below;
      }
      if (changed) {
        for (Family<ScaleAccumulator> sf : scaleTable.families.values()) {
          if (sf.key.district().equals(district) && sf.key.cycle().equals(cycle)) {
            scaleTable.markCtd(sf);
            for (Series<?> s : sf.series) {
              s.markAll();
            }
          }
        }
      }
    }
    gatesToRefresh.clear();
  }

  private final class PublishContext implements Reducer.Context {
    @Override
    public boolean belowResponseGate(String districtId, String schoolId, String cycle) {
      DistrictState d = districts.get(districtId);
      return d != null
          && d.gates.getOrDefault(cycle + "|" + (schoolId == null ? DISTRICT : schoolId), false);
    }

    @Override
    public Integer roster(String districtId, String schoolId, String cycle, String roleGroup) {
      return rosters.roster(districtId, schoolId, cycle, roleGroup);
    }
  }

  // ---- cycle-over-cycle changes --------------------------------------------------------------

  private void emitChanges(Stamper out) {
    for (var d : districts.entrySet()) {
      if (d.getValue().cycleOrderChanged) {
        d.getValue().cycleOrderChanged = false;
        for (FamilyKey k : scaleTable.families.keySet()) {
          if (k.cohort() == null && k.district().equals(d.getKey())) {
            changesToEmit.add(k);
          }
        }
      }
    }
    Set<FamilyKey> targets = new LinkedHashSet<>();
    for (FamilyKey k : changesToEmit) {
      targets.add(k);
      String next = d(k).cycleAfter(k.cycle());
      if (next != null) {
        targets.add(new FamilyKey(k.district(), next, k.metric(), null));
      }
    }
    changesToEmit.clear();
    for (FamilyKey k : targets) {
      emitChange(k, out);
    }
    changesFull = false;
  }

  private DistrictState d(FamilyKey k) {
    return districts.get(k.district());
  }

  private void emitChange(FamilyKey k, Stamper out) {
    String previousCycle = d(k).cycleBefore(k.cycle());
    Family<ScaleAccumulator> current = scaleTable.families.get(k);
    Family<ScaleAccumulator> previous =
        previousCycle == null
            ? null
            : scaleTable.families.get(new FamilyKey(k.district(), previousCycle, k.metric(), null));
    Map<String, SpecificRecordBase> next = new HashMap<>();
    if (current != null && previous != null) {
      var currentDecisions = decisions(current.ctd);
      var previousDecisions = decisions(previous.ctd);
      for (var scope : current.ctd.entrySet()) {
        for (var group : scope.getValue().entrySet()) {
          ScaleAccumulator before =
              previous.ctd.getOrDefault(scope.getKey(), new HashMap<>()).get(group.getKey());
          if (group.getValue().n() == 0 || before == null || before.n() == 0) {
            continue;
          }
          var cell =
              Cells.cell(
                  k.district(), school(scope.getKey()), k.cycle(), 0, 0, group.getKey(), null);
          next.put(
              Cells.key(cell, k.metric()),
              ScaleChanges.content(
                  cell,
                  previousCycle,
                  k.metric(),
                  group.getValue().stats(),
                  currentDecisions.get(scope.getKey()).get(group.getKey()),
                  before.stats(),
                  previousDecisions.get(scope.getKey()).get(group.getKey())));
        }
      }
    }
    Map<String, SpecificRecordBase> published =
        publishedChanges.computeIfAbsent(k, x -> new HashMap<>());
    for (String key : published.keySet()) {
      if (!next.containsKey(key)) {
        out.emit(changesTopic, key, null);
      }
    }
    if (changesFull && current != null) {
      // After a rebuild nothing is known about earlier publications: withdraw every change cell
      // this family could have had and does not have now.
      current.ctd.forEach(
          (scope, groups) ->
              groups
                  .keySet()
                  .forEach(
                      group -> {
                        String key =
                            Cells.key(
                                Cells.cell(
                                    k.district(), school(scope), k.cycle(), 0, 0, group, null),
                                k.metric());
                        if (!next.containsKey(key) && !published.containsKey(key)) {
                          out.emit(changesTopic, key, null);
                        }
                      }));
    }
    next.forEach(
        (key, content) -> out.emitIfChanged(changesTopic, key, content, published.get(key)));
    publishedChanges.put(k, next);
  }

  // ---- shared helpers ------------------------------------------------------------------------

  private <A extends Accumulator<?, A>>
      Map<String, Map<String, SmallCellPolicy.Decision>> decisions(
          Map<String, HashMap<String, A>> cells) {
    return settings.policy().family(Cells.counts(cells), DISTRICT, Cells.ALL);
  }

  private SmallCellPolicy.Decision decision(
      Map<String, Map<String, SmallCellPolicy.Decision>> decisions, String scope, String group) {
    Map<String, SmallCellPolicy.Decision> groups = decisions.get(scope);
    SmallCellPolicy.Decision d = groups == null ? null : groups.get(group);
    return d != null ? d : settings.policy().single(0);
  }

  private static String school(String scope) {
    return scope.equals(DISTRICT) ? null : scope;
  }

  private static String id(RespondentHistory.Entry e) {
    return e.submission().getSubmissionId();
  }

  private static int day(RespondentHistory.Entry e) {
    return (int) Math.floorDiv(e.submission().getSubmittedAt().toEpochMilli(), DAY_MS);
  }

  /**
   * For each on-time entry of a history, by submission id: the day of the respondent's next on-time
   * entry, or {@link Integer#MAX_VALUE} for the last one.
   */
  private static Map<String, Integer> nextDays(RespondentHistory history) {
    if (history == null) {
      return Map.of();
    }
    Map<String, Integer> next = new HashMap<>();
    RespondentHistory.Entry previous = null;
    for (RespondentHistory.Entry e : history.entries()) {
      if (!e.rolling()) {
        continue;
      }
      if (previous != null) {
        next.put(id(previous), day(e));
      }
      next.put(id(e), Integer.MAX_VALUE);
      previous = e;
    }
    return next;
  }

  private Effect effect(Map<String, Effect> effects, RespondentHistory.Entry e) {
    return effects.computeIfAbsent(id(e), k -> new Effect(e, windows.length));
  }

  /**
   * What happens to one entry's contributions: CTD sign, rolling start (sign and day), and
   * early-end points per window.
   */
  private static final class Effect {
    final RespondentHistory.Entry entry;
    int ctd;
    int start;
    int startDay;
    final List<int[]>[] points;

    @SuppressWarnings("unchecked")
    Effect(RespondentHistory.Entry entry, int windowCount) {
      this.entry = entry;
      this.points = new List[windowCount];
      for (int i = 0; i < windowCount; i++) {
        points[i] = new ArrayList<>(2);
      }
    }

    void start(int day, int sign) {
      start = sign;
      startDay = day;
    }

    Effect point(int window, int day, int sign) {
      points[window].add(new int[] {day, sign});
      return this;
    }

    boolean hasRolling() {
      if (start != 0) {
        return true;
      }
      for (List<int[]> p : points) {
        if (!p.isEmpty()) {
          return true;
        }
      }
      return false;
    }

    /** The earliest day whose rolling value in window {@code w} this effect changes. */
    int firstDay(int w) {
      int first = start != 0 ? startDay : Integer.MAX_VALUE;
      for (int[] p : points[w]) {
        first = Math.min(first, p[0]);
      }
      return first;
    }
  }

  /** Identity of a family: one metric of one district, cycle and cohort (null: all cohorts). */
  record FamilyKey(String district, String cycle, String metric, String cohort) {}

  /** Role groups as numbers: each role's ordinal, then ALL. */
  private static final int ALL_GROUP = dev.chorus.avro.Role.values().length;

  private static final int GROUPS = ALL_GROUP + 1;

  /**
   * One cell of a family as the hot path sees it: its cycle-to-date statistics and, for rolling
   * metrics, its series cell per window (which share one array of start deltas).
   */
  private static final class Slot<A extends Accumulator<?, A>> {
    final A ctd;
    final SeriesCell<A>[] series;
    final DayDeltas<A> starts;

    @SuppressWarnings("unchecked")
    Slot(A ctd, int windowCount) {
      this.ctd = ctd;
      this.series = new SeriesCell[windowCount];
      this.starts = windowCount == 0 ? null : new DayDeltas<>();
    }
  }

  /** Every cell of one family: per scope (a school, or "" for the district) and role group. */
  private static final class Family<A extends Accumulator<?, A>> {
    final FamilyKey key;
    final HashMap<String, HashMap<String, A>> ctd = new HashMap<>();

    /** The cells by scope number × {@link #GROUPS} + group number (see {@link DistrictState}). */
    private Object[] slots = new Object[0];

    /** The staging of leaf cells, numbered like {@link #slots}. */
    private Object[] pendings = new Object[0];

    final Map<String, SpecificRecordBase> published = new HashMap<>();
    final Series<A>[] series;
    boolean ctdDirty;
    boolean full;

    @SuppressWarnings("unchecked")
    Family(FamilyKey key, int windowCount) {
      this.key = key;
      this.series = new Series[windowCount];
      for (int i = 0; i < windowCount; i++) {
        series[i] = new Series<>();
      }
    }

    A cell(String scope, String group, Reducer<?, A> reducer) {
      return ctd.computeIfAbsent(scope, s -> new HashMap<>())
          .computeIfAbsent(group, g -> reducer.newAccumulator());
    }

    /** The cell of scope number {@code scope} and group number {@code group}, named as given. */
    @SuppressWarnings("unchecked")
    Slot<A> slot(int scope, int group, String scopeName, String groupName, Reducer<?, A> r) {
      int i = scope * GROUPS + group;
      if (i >= slots.length) {
        slots = java.util.Arrays.copyOf(slots, Math.max(i + 1, 2 * slots.length));
      }
      Slot<A> slot = (Slot<A>) slots[i];
      if (slot == null) {
        slot = new Slot<>(cell(scopeName, groupName, r), series.length);
        for (int w = 0; w < series.length; w++) {
          slot.series[w] = series[w].cell(scopeName, groupName, slot.starts);
        }
        slots[i] = slot;
      }
      return slot;
    }

    /**
     * The staging of the leaf cell of school number {@code school} and role {@code group}, queued
     * on {@code staged} when it is first used after a flush.
     */
    @SuppressWarnings("unchecked")
    Pending<A> pending(
        int school,
        int group,
        String schoolName,
        String role,
        Reducer<?, A> r,
        List<Pending<A>> staged) {
      int i = school * GROUPS + group;
      if (i >= pendings.length) {
        pendings = java.util.Arrays.copyOf(pendings, Math.max(i + 1, 2 * pendings.length));
      }
      Pending<A> p = (Pending<A>) pendings[i];
      if (p == null) {
        Slot<A>[] targets =
            new Slot[] {
              slot(school, group, schoolName, role, r),
              slot(school, ALL_GROUP, schoolName, Cells.ALL, r),
              slot(0, group, DISTRICT, role, r),
              slot(0, ALL_GROUP, DISTRICT, Cells.ALL, r)
            };
        p = new Pending<>(targets, series.length);
        pendings[i] = p;
      }
      if (!p.staged) {
        p.staged = true;
        staged.add(p);
      }
      return p;
    }
  }

  /**
   * What one leaf cell (a school and role) received since the last flush, to be added to the four
   * cells it rolls up into. A submission then costs one update per metric instead of four; the
   * rollups are brought up to date, in one merge per staged leaf, before anything is published.
   */
  private static final class Pending<A extends Accumulator<?, A>> {
    final Slot<A>[] targets;
    A ctd;
    DayDeltas<A> starts;

    /** Deltas that count for the cycle to date and as rolling starts on their day alike. */
    DayDeltas<A> both;

    final DayDeltas<A>[] ends;
    final int[] firstDays;
    boolean staged;

    @SuppressWarnings("unchecked")
    Pending(Slot<A>[] targets, int windowCount) {
      this.targets = targets;
      this.ends = new DayDeltas[windowCount];
      this.firstDays = new int[windowCount];
      java.util.Arrays.fill(firstDays, Integer.MAX_VALUE);
    }

    void flushInto(Reducer<?, A> reducer) {
      for (Slot<A> t : targets) {
        if (ctd != null) {
          t.ctd.merge(ctd, 1);
        }
        if (both != null) {
          both.sumAll(t.ctd, 1);
          both.mergeInto(t.starts, reducer);
        }
        if (t.ctd.n() < 0) {
          throw new IllegalStateException("retraction below zero in " + reducer.name());
        }
        if (starts != null) {
          starts.mergeInto(t.starts, reducer);
        }
        for (int w = 0; w < ends.length; w++) {
          if (ends[w] != null) {
            ends[w].mergeInto(t.series[w].ends, reducer);
          }
          t.series[w].dirtyFrom = Math.min(t.series[w].dirtyFrom, firstDays[w]);
        }
      }
      ctd = null;
      starts = null;
      both = null;
      java.util.Arrays.fill(ends, null);
      java.util.Arrays.fill(firstDays, Integer.MAX_VALUE);
      staged = false;
    }
  }

  /** Day deltas of one rolling window, per scope and role group. */
  private static final class Series<A extends Accumulator<?, A>> {
    final HashMap<String, HashMap<String, SeriesCell<A>>> cells = new HashMap<>();
    long dirtyFrom = Integer.MAX_VALUE;
    long emittedThrough = Integer.MIN_VALUE;
    boolean full;

    SeriesCell<A> cell(String scope, String group, DayDeltas<A> starts) {
      return cells
          .computeIfAbsent(scope, s -> new HashMap<>())
          .computeIfAbsent(group, g -> new SeriesCell<>(starts));
    }

    /** Every row must be published again (after a rebuild, or when a gate flag changed). */
    void markAll() {
      dirtyFrom = Integer.MIN_VALUE;
      full = true;
      cells
          .values()
          .forEach(groups -> groups.values().forEach(c -> c.dirtyFrom = Integer.MIN_VALUE));
    }
  }

  /**
   * One rolling cell of one window: the start deltas (shared with the cell's other windows), this
   * window's early-end deltas, the earliest day changed since its last publication, and what was
   * last published for each day (so unchanged rows are not published again).
   */
  private static final class SeriesCell<A extends Accumulator<?, A>> {
    static final byte NOTHING = 0;
    final DayDeltas<A> starts;
    final DayDeltas<A> ends = new DayDeltas<>();
    long dirtyFrom = Integer.MAX_VALUE;
    private byte[] published = new byte[0];
    private int base;

    SeriesCell(DayDeltas<A> starts) {
      this.starts = starts;
    }

    byte published(int day) {
      int i = day - base;
      return i >= 0 && i < published.length ? published[i] : NOTHING;
    }

    void published(int day, byte code) {
      if (published.length == 0) {
        base = day;
      }
      if (day < base) {
        byte[] grown = new byte[published.length + (base - day)];
        System.arraycopy(published, 0, grown, base - day, published.length);
        published = grown;
        base = day;
      }
      if (day - base >= published.length) {
        published =
            java.util.Arrays.copyOf(published, Math.max(day - base + 1, published.length * 2));
      }
      published[day - base] = code;
    }
  }

  /** What a published rolling row showed, in one byte: nothing, values, or suppressed (why). */
  private static byte code(SmallCellPolicy.Decision d) {
    return (byte) (d.suppressed() ? 2 + d.reason().ordinal() : 1);
  }

  /** Per-district progress: newest event time, cycles, rosters, gate flags. */
  private static final class DistrictState {
    long newestMs = Long.MIN_VALUE;
    final Map<String, Long> newestBySchool = new HashMap<>();
    final Map<String, CycleState> cycles = new HashMap<>();
    final Map<String, Boolean> gates = new HashMap<>();
    final Map<String, Integer> scopes = new HashMap<>(Map.of(DISTRICT, 0));
    boolean cycleOrderChanged;

    /** The number of a school's scope (the district rollup is 0). */
    int scope(String school) {
      Integer n = scopes.get(school);
      if (n == null) {
        n = scopes.size();
        scopes.put(school, n);
      }
      return n;
    }

    void observe(RespondentHistory.Entry e) {
      long t = e.submission().getSubmittedAt().toEpochMilli();
      newestMs = Math.max(newestMs, t);
      newestBySchool.merge(e.submission().getSchoolId(), t, Math::max);
      CycleState c = cycles.computeIfAbsent(e.submission().getCycle(), k -> new CycleState());
      if (t < c.firstEventMs) {
        c.firstEventMs = t;
        cycleOrderChanged = true;
      }
      if (e.rolling()) {
        c.firstRollingDay = Math.min(c.firstRollingDay, day(e));
        c.lastRollingDay = Math.max(c.lastRollingDay, day(e));
      }
    }

    int newestDay() {
      return (int) Math.floorDiv(newestMs, DAY_MS);
    }

    private List<String> order() {
      List<String> order = new ArrayList<>(cycles.keySet());
      order.sort(
          Comparator.<String>comparingLong(c -> cycles.get(c).firstEventMs)
              .thenComparing(Comparator.naturalOrder()));
      return order;
    }

    String cycleBefore(String cycle) {
      List<String> order = order();
      int i = order.indexOf(cycle);
      return i > 0 ? order.get(i - 1) : null;
    }

    String cycleAfter(String cycle) {
      List<String> order = order();
      int i = order.indexOf(cycle);
      return i >= 0 && i + 1 < order.size() ? order.get(i + 1) : null;
    }
  }

  /** First event of a cycle (for ordering cycles) and the days its rolling series spans. */
  private static final class CycleState {
    long firstEventMs = Long.MAX_VALUE;
    int firstRollingDay = Integer.MAX_VALUE;
    int lastRollingDay = Integer.MIN_VALUE;
  }

  /** Stamps version and computed_at on a copy of each published record and counts them. */
  private static final class Stamper {
    final Output out;
    final Instant now;
    final LongSupplier versions;
    int count;

    Stamper(Output out, Instant now, LongSupplier versions) {
      this.out = out;
      this.now = now;
      this.versions = versions;
    }

    void emit(String topic, String key, SpecificRecordBase content) {
      count++;
      if (content == null) {
        out.emit(topic, key, null);
        return;
      }
      content.put("version", versions.getAsLong());
      content.put("computed_at", now);
      out.emit(topic, key, content);
    }

    /**
     * Emits {@code content} unless it equals {@code previous} apart from version and computed_at;
     * returns whether it did.
     */
    boolean emitIfChanged(
        String topic, String key, SpecificRecordBase content, SpecificRecordBase previous) {
      if (previous != null) {
        content.put("version", previous.get("version"));
        content.put("computed_at", previous.get("computed_at"));
        if (content.equals(previous)) {
          return false;
        }
      }
      emit(topic, key, content);
      return true;
    }
  }

  /** One reducer's families. */
  private final class Table<C, A extends Accumulator<C, A>> {
    final Reducer<C, A> reducer;
    final String topic;
    final Map<FamilyKey, Family<A>> families = new HashMap<>();
    final Set<Family<A>> dirty = new LinkedHashSet<>();
    final List<Pending<A>> staged = new ArrayList<>();

    Table(Reducer<C, A> reducer, String topic) {
      this.reducer = reducer;
      this.topic = topic;
    }

    Family<A> family(FamilyKey key) {
      return families.computeIfAbsent(
          key, k -> new Family<>(k, reducer.rolling() ? windows.length : 0));
    }

    /** The families of one district, cycle and cohort by metric (the hot path's lookup). */
    private final Map<FamilyKey, Map<String, Family<A>>> slices = new HashMap<>();

    private Map<String, Family<A>> slice(String district, String cycle, String cohort) {
      return slices.computeIfAbsent(
          new FamilyKey(district, cycle, "", cohort), k -> new HashMap<>());
    }

    void markCtd(Family<?> f) {
      @SuppressWarnings("unchecked")
      Family<A> typed = (Family<A>) f;
      if (!typed.ctdDirty) {
        typed.ctdDirty = true;
        dirty.add(typed);
      }
    }

    void apply(SurveySubmission s, Instrument instrument, Effect effect, int school) {
      boolean rolling = reducer.rolling() && effect.hasRolling();
      if (effect.ctd == 0 && !rolling) {
        return;
      }
      List<String> cohorts = cohorts(s);
      List<Map<String, Family<A>>> slices = new ArrayList<>(cohorts.size());
      for (String cohort : cohorts) {
        slices.add(slice(s.getDistrictId(), s.getCycle(), cohort));
      }
      String role = s.getRole().name();
      int roleGroup = s.getRole().ordinal();
      int[] firstDays = new int[rolling ? windows.length : 0];
      for (int w = 0; w < firstDays.length; w++) {
        firstDays[w] = effect.firstDay(w);
      }
      reducer.contributions(
          instrument,
          s,
          (metric, c) -> {
            for (int k = 0; k < slices.size(); k++) {
              Family<A> f = slices.get(k).get(metric);
              if (f == null) {
                f = family(new FamilyKey(s.getDistrictId(), s.getCycle(), metric, cohorts.get(k)));
                slices.get(k).put(metric, f);
              }
              if (effect.ctd != 0) {
                markCtd(f);
              }
              if (rolling) {
                for (int w = 0; w < windows.length; w++) {
                  f.series[w].dirtyFrom = Math.min(f.series[w].dirtyFrom, firstDays[w]);
                }
              }
              stage(
                  f.pending(school, roleGroup, s.getSchoolId(), role, reducer, staged),
                  c,
                  effect,
                  firstDays);
            }
          });
    }

    private void stage(Pending<A> p, C c, Effect effect, int[] days) {
      if (days.length > 0 && effect.ctd != 0 && effect.start == effect.ctd) {
        // The common case, a new latest entry that also starts counting in the rolling windows
        // (or the reverse): one staged delta serves both.
        if (p.both == null) {
          p.both = new DayDeltas<>();
        }
        p.both.at(effect.startDay, reducer).add(c, effect.ctd);
        stageEnds(p, c, effect, days);
        return;
      }
      if (effect.ctd != 0) {
        if (p.ctd == null) {
          p.ctd = reducer.newAccumulator();
        }
        p.ctd.add(c, effect.ctd);
      }
      if (days.length == 0) {
        return; // not rolling
      }
      if (effect.start != 0) {
        if (p.starts == null) {
          p.starts = new DayDeltas<>();
        }
        p.starts.at(effect.startDay, reducer).add(c, effect.start);
      }
      stageEnds(p, c, effect, days);
    }

    private void stageEnds(Pending<A> p, C c, Effect effect, int[] days) {
      for (int w = 0; w < days.length; w++) {
        for (int[] point : effect.points[w]) {
          if (p.ends[w] == null) {
            p.ends[w] = new DayDeltas<>();
          }
          p.ends[w].at(point[0], reducer).add(c, point[1]);
        }
        p.firstDays[w] = Math.min(p.firstDays[w], days[w]);
      }
    }

    /**
     * Folds what was staged since the last call into the cells: each staged leaf (a school and
     * role) into itself, its school's ALL cell and the district's cells of the role and ALL.
     */
    void flush() {
      for (Pending<A> p : staged) {
        p.flushInto(reducer);
      }
      staged.clear();
    }

    private List<String> cohorts(SurveySubmission s) {
      if (!reducer.cohorts() || s.getCohortTags().isEmpty()) {
        return ALL_COHORTS;
      }
      List<String> cohorts = new ArrayList<>(ALL_COHORTS);
      for (String tag : s.getCohortTags()) {
        if (!cohorts.contains(tag)) {
          cohorts.add(tag);
        }
      }
      return cohorts;
    }

    void emit(Stamper out) {
      for (Family<A> f : dirty) {
        emitCtd(f, out);
      }
      dirty.clear();
      if (reducer.rolling()) {
        for (Family<A> f : families.values()) {
          for (int w = 0; w < windows.length; w++) {
            emitRolling(f, w, out);
          }
        }
      }
    }

    private void emitCtd(Family<A> f, Stamper out) {
      FamilyKey k = f.key;
      var decisions = decisions(f.ctd);
      boolean changed = false;
      for (var scope : f.ctd.entrySet()) {
        for (var group : scope.getValue().entrySet()) {
          A acc = group.getValue();
          var cell =
              Cells.cell(
                  k.district(),
                  school(scope.getKey()),
                  k.cycle(),
                  0,
                  0,
                  group.getKey(),
                  k.cohort());
          String key = Cells.key(cell, k.metric());
          if (acc.n() == 0 && !reducer.publishesEmpty(cell, context)) {
            if (!acc.isZero()) {
              throw new IllegalStateException("inconsistent empty cell " + key);
            }
            if (f.published.remove(key) != null || f.full) {
              out.emit(topic, key, null);
              changed = true;
            }
            continue;
          }
          SpecificRecordBase content =
              reducer.content(
                  cell,
                  k.metric(),
                  acc,
                  decision(decisions, scope.getKey(), group.getKey()),
                  context,
                  scope.getValue(),
                  decisions.getOrDefault(scope.getKey(), Map.of()));
          if (out.emitIfChanged(topic, key, content, f.published.get(key))) {
            f.published.put(key, content);
            changed = true;
          }
        }
      }
      f.ctdDirty = false;
      f.full = false;
      if (changed && reducer == (Reducer<?, ?>) scaleTable.reducer && k.cohort() == null) {
        changesToEmit.add(k);
      }
    }

    /**
     * Publishes the rows of one rolling series that may have changed: every day from the earliest
     * changed one through the district's newest day is decided again (suppression looks at all
     * cells of the day), but a row is only published if its cell changed on or before that day, the
     * day is new, or its suppression changed.
     */
    private void emitRolling(Family<A> f, int w, Stamper out) {
      Series<A> series = f.series[w];
      DistrictState d = districts.get(f.key.district());
      CycleState c = d == null ? null : d.cycles.get(f.key.cycle());
      if (c == null || c.firstRollingDay == Integer.MAX_VALUE) {
        series.dirtyFrom = Integer.MAX_VALUE;
        return;
      }
      int start = c.firstRollingDay;
      int end = (int) Math.min(d.newestDay(), (long) c.lastRollingDay + windows[w] - 1);
      long from = Math.max(start, Math.min(series.dirtyFrom, series.emittedThrough + 1));
      if (from > end) {
        series.dirtyFrom = Integer.MAX_VALUE;
        return;
      }
      List<Cursor> cursors = new ArrayList<>();
      series.cells.forEach(
          (scope, groups) ->
              groups.forEach(
                  (group, cell) ->
                      cursors.add(new Cursor(scope, group, cell, (int) from, windows[w]))));
      for (int day = (int) from; day <= end; day++) {
        Map<String, Map<String, Long>> n = new LinkedHashMap<>();
        for (Cursor cursor : cursors) {
          cursor.advanceTo(day);
          if (cursor.value.n() > 0) {
            n.computeIfAbsent(cursor.scope, x -> new LinkedHashMap<>())
                .put(cursor.group, cursor.value.n());
          }
        }
        var decisions = settings.policy().family(n, DISTRICT, Cells.ALL);
        // A scope's ALL row may draw on its role rows (perception gaps): it is published again
        // whenever any row of its scope is.
        Map<String, Map<String, A>> scopes = new HashMap<>();
        java.util.Set<String> changedScopes = new java.util.HashSet<>();
        for (Cursor cursor : cursors) {
          scopes
              .computeIfAbsent(cursor.scope, x -> new HashMap<>())
              .put(cursor.group, cursor.value);
          byte now =
              cursor.value.n() == 0
                  ? SeriesCell.NOTHING
                  : code(decision(decisions, cursor.scope, cursor.group));
          if (day >= cursor.cell.dirtyFrom
              || day > series.emittedThrough
              || now != cursor.cell.published(day)) {
            changedScopes.add(cursor.scope);
          }
        }
        for (Cursor cursor : cursors) {
          SeriesCell<A> cell = cursor.cell;
          byte before = cell.published(day);
          if (cursor.value.n() == 0) {
            if (!cursor.value.isZero()) {
              throw new IllegalStateException("inconsistent empty cell in " + f.key);
            }
            if (before != SeriesCell.NOTHING || series.full) {
              out.emit(topic, rowKey(f, w, day, cursor), null);
              cell.published(day, SeriesCell.NOTHING);
            }
            continue;
          }
          SmallCellPolicy.Decision decision = decision(decisions, cursor.scope, cursor.group);
          byte now = code(decision);
          boolean scopeChanged =
              cursor.group.equals(Cells.ALL) && changedScopes.contains(cursor.scope);
          if (day >= cell.dirtyFrom
              || day > series.emittedThrough
              || now != before
              || scopeChanged) {
            var metricCell = rowCell(f, w, day, cursor);
            out.emit(
                topic,
                Cells.key(metricCell, f.key.metric()),
                reducer.content(
                    metricCell,
                    f.key.metric(),
                    cursor.value,
                    decision,
                    context,
                    scopes.get(cursor.scope),
                    decisions.getOrDefault(cursor.scope, Map.of())));
            cell.published(day, now);
          }
        }
      }
      for (Cursor cursor : cursors) {
        cursor.cell.dirtyFrom = Integer.MAX_VALUE;
      }
      series.dirtyFrom = Integer.MAX_VALUE;
      series.full = false;
      series.emittedThrough = Math.max(series.emittedThrough, end);
    }

    private dev.chorus.avro.MetricCell rowCell(Family<A> f, int w, int day, Cursor cursor) {
      return Cells.cell(
          f.key.district(),
          school(cursor.scope),
          f.key.cycle(),
          windows[w],
          day,
          cursor.group,
          f.key.cohort());
    }

    private String rowKey(Family<A> f, int w, int day, Cursor cursor) {
      return Cells.key(rowCell(f, w, day, cursor), f.key.metric());
    }

    /**
     * Walks one cell's deltas day by day, keeping the running value of its window as of the current
     * day: starts through the day, minus starts more than W days ago, minus early ends.
     */
    private final class Cursor {
      final String scope;
      final String group;
      final SeriesCell<A> cell;
      final A value;
      final int windowDays;

      Cursor(String scope, String group, SeriesCell<A> cell, int from, int windowDays) {
        this.scope = scope;
        this.group = group;
        this.cell = cell;
        this.windowDays = windowDays;
        this.value = reducer.newAccumulator();
        cell.starts.sumBefore(from, value, 1);
        cell.starts.sumBefore(from - windowDays, value, -1);
        cell.ends.sumBefore(from, value, -1);
      }

      /** Moves to {@code day}, the day after the previous one. */
      void advanceTo(int day) {
        merge(cell.starts.get(day), 1);
        merge(cell.starts.get(day - windowDays), -1);
        merge(cell.ends.get(day), -1);
      }

      private void merge(A delta, int sign) {
        if (delta != null) {
          value.merge(delta, sign);
        }
      }
    }
  }
}

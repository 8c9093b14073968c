package dev.chorus.processor.oracle;

import dev.chorus.avro.Roster;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.Accumulator;
import dev.chorus.processor.engine.Aggregates;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.engine.Reducer;
import dev.chorus.processor.engine.RosterBook;
import dev.chorus.processor.latest.LatestWins;
import dev.chorus.processor.metrics.ResponseRatesReducer;
import dev.chorus.processor.metrics.ScaleChanges;
import dev.chorus.processor.metrics.ScaleScoresReducer;
import dev.chorus.processor.scores.CountAccumulator;
import dev.chorus.processor.scores.ScaleAccumulator;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The reference implementation of every metric of the processor (domain spec §4–9), recomputed from
 * scratch over a list of submissions in arrival order — deliberately plain: no retraction, no day
 * deltas, no incremental state. Arrival order matters only for lateness (a submission older than
 * the grace behind its school's newest event time so far counts for its cycle only). Rolling
 * windows are evaluated literally: as of each day D, each respondent's latest on-time submission at
 * or before D, included if submitted after D − W.
 *
 * <p>Shared with the streaming engine are only the pure, separately tested pieces: a reducer's
 * contributions and record layout, and the suppression rules.
 */
public final class BatchMetrics {

  private static final long DAY_MS = 86_400_000L;
  private static final String DISTRICT = "";

  /** Everything the processor would have published, by topic and key. */
  public record Result(
      Map<String, Map<String, SpecificRecordBase>> byTopic, List<SurveySubmission> late) {}

  private BatchMetrics() {}

  /**
   * Computes the metrics.
   *
   * @param arrivals submissions in the order the processor receives them (duplicates allowed)
   * @param rosters the latest roster per school and cycle
   * @param topics output topic per record type, as given to {@link Aggregates}
   */
  public static Result compute(
      List<SurveySubmission> arrivals,
      List<Roster> rosters,
      Function<SurveySubmission, Instrument> instruments,
      Aggregates.Settings settings,
      boolean rollingItemDistributions,
      Map<Class<?>, String> topics) {
    // Dedupe and lateness, in arrival order.
    Map<String, SurveySubmission> distinct = new LinkedHashMap<>();
    Set<String> late = new HashSet<>();
    List<SurveySubmission> lateList = new ArrayList<>();
    Map<String, Long> newest = new HashMap<>();
    Map<String, Long> newestBySchool = new HashMap<>();
    for (SurveySubmission s : arrivals) {
      if (distinct.containsKey(s.getSubmissionId())) {
        continue;
      }
      distinct.put(s.getSubmissionId(), s);
      long t = s.getSubmittedAt().toEpochMilli();
      String school = s.getDistrictId() + "|" + s.getSchoolId();
      Long n = newestBySchool.get(school);
      if (n != null && t < n - settings.grace().toMillis()) {
        late.add(s.getSubmissionId());
        lateList.add(s);
      }
      newestBySchool.merge(school, t, Math::max);
      newest.merge(s.getDistrictId(), t, Math::max);
    }
    // Respondents: all their submissions.
    Map<String, List<SurveySubmission>> byRespondent = new TreeMap<>();
    for (SurveySubmission s : distinct.values()) {
      byRespondent.computeIfAbsent(LatestWins.respondentKey(s), k -> new ArrayList<>()).add(s);
    }
    byRespondent.values().forEach(list -> list.sort(LatestWins.ORDER));

    RosterBook book = new RosterBook();
    rosters.forEach(book::put);
    Map<String, Map<String, SpecificRecordBase>> out = new TreeMap<>();
    ScaleScoresReducer scales = new ScaleScoresReducer();
    ResponseRatesReducer responses = new ResponseRatesReducer();

    // Response rates first: the gate feeds the scale scores.
    Map<Key, Map<String, TreeMap<String, CountAccumulator>>> responseCells =
        cycleToDate(responses, byRespondent, instruments);
    for (Roster r : rosters) {
      var cells =
          responseCells.computeIfAbsent(
              new Key(r.getDistrictId(), r.getCycle(), ResponseRatesReducer.METRIC, null),
              k -> new TreeMap<>());
      for (String scope : new String[] {r.getSchoolId(), DISTRICT}) {
        var groups = cells.computeIfAbsent(scope, x -> new TreeMap<>());
        groups.computeIfAbsent(Cells.ALL, g -> new CountAccumulator());
        for (String role : book.roles(r.getDistrictId(), r.getCycle(), r.getSchoolId())) {
          groups.computeIfAbsent(role, g -> new CountAccumulator());
        }
      }
    }
    Map<String, Boolean> gates = new HashMap<>();
    responseCells.forEach(
        (k, cells) ->
            cells.forEach(
                (scope, groups) -> {
                  CountAccumulator all = groups.get(Cells.ALL);
                  gates.put(
                      k.district() + "|" + k.cycle() + "|" + scope,
                      RosterBook.belowGate(
                          settings.responseGate(),
                          book.roster(k.district(), school(scope), k.cycle(), Cells.ALL),
                          all == null ? 0 : all.n()));
                }));
    Reducer.Context context =
        new Reducer.Context() {
          @Override
          public boolean belowResponseGate(String districtId, String schoolId, String cycle) {
            return gates.getOrDefault(
                districtId + "|" + cycle + "|" + (schoolId == null ? DISTRICT : schoolId), false);
          }

          @Override
          public Integer roster(String districtId, String schoolId, String cycle, String group) {
            return book.roster(districtId, schoolId, cycle, group);
          }
        };

    publish(responses, responseCells, 0, 0, settings.policy(), context, topics, out);
    Map<Key, Map<String, TreeMap<String, ScaleAccumulator>>> scaleCells =
        cycleToDate(scales, byRespondent, instruments);
    publish(scales, scaleCells, 0, 0, settings.policy(), context, topics, out);
    List<Reducer<?, ?>> others = Aggregates.otherReducers(rollingItemDistributions);
    for (Reducer<?, ?> r : others) {
      cycleToDateOf(r, byRespondent, instruments, settings.policy(), context, topics, out);
    }
    List<Reducer<?, ?>> all = new ArrayList<>(others);
    all.add(0, scales);
    for (Reducer<?, ?> r : all) {
      if (r.rolling()) {
        rolling(r, byRespondent, late, newest, instruments, settings, context, topics, out);
      }
    }
    changes(scaleCells, distinct.values(), settings.policy(), topics, out);
    return new Result(out, lateList);
  }

  private static <C, A extends Accumulator<C, A>> void cycleToDateOf(
      Reducer<C, A> reducer,
      Map<String, List<SurveySubmission>> byRespondent,
      Function<SurveySubmission, Instrument> instruments,
      SmallCellPolicy policy,
      Reducer.Context context,
      Map<Class<?>, String> topics,
      Map<String, Map<String, SpecificRecordBase>> out) {
    publish(
        reducer,
        cycleToDate(reducer, byRespondent, instruments),
        0,
        0,
        policy,
        context,
        topics,
        out);
  }

  /** Identity of a family: one metric of one district, cycle and cohort. */
  private record Key(String district, String cycle, String metric, String cohort) {}

  private static <C, A extends Accumulator<C, A>>
      Map<Key, Map<String, TreeMap<String, A>>> cycleToDate(
          Reducer<C, A> reducer,
          Map<String, List<SurveySubmission>> byRespondent,
          Function<SurveySubmission, Instrument> instruments) {
    Map<Key, Map<String, TreeMap<String, A>>> cells = new TreeMap<>(KEY_ORDER);
    for (List<SurveySubmission> history : byRespondent.values()) {
      SurveySubmission latest = history.get(history.size() - 1);
      add(reducer, latest, instruments.apply(latest), cells, latest.getCycle());
    }
    return cells;
  }

  private static <C, A extends Accumulator<C, A>> void add(
      Reducer<C, A> reducer,
      SurveySubmission s,
      Instrument instrument,
      Map<Key, Map<String, TreeMap<String, A>>> cells,
      String cycle) {
    List<String> cohorts = new ArrayList<>();
    cohorts.add(null);
    if (reducer.cohorts()) {
      s.getCohortTags().stream().distinct().forEach(cohorts::add);
    }
    reducer.contributions(
        instrument,
        s,
        (metric, c) -> {
          for (String cohort : cohorts) {
            var family =
                cells.computeIfAbsent(
                    new Key(s.getDistrictId(), cycle, metric, cohort), k -> new TreeMap<>());
            for (String scope : new String[] {s.getSchoolId(), DISTRICT}) {
              for (String group : new String[] {s.getRole().name(), Cells.ALL}) {
                family
                    .computeIfAbsent(scope, x -> new TreeMap<>())
                    .computeIfAbsent(group, x -> reducer.newAccumulator())
                    .add(c, 1);
              }
            }
          }
        });
  }

  private static <C, A extends Accumulator<C, A>> void rolling(
      Reducer<C, A> reducer,
      Map<String, List<SurveySubmission>> byRespondent,
      Set<String> late,
      Map<String, Long> newest,
      Function<SurveySubmission, Instrument> instruments,
      Aggregates.Settings settings,
      Reducer.Context context,
      Map<Class<?>, String> topics,
      Map<String, Map<String, SpecificRecordBase>> out) {
    // Days each district cycle's rolling series spans: first on-time day .. last + W - 1,
    // never past the district's newest event day.
    Map<String, int[]> span = new HashMap<>();
    for (List<SurveySubmission> history : byRespondent.values()) {
      for (SurveySubmission s : history) {
        if (!late.contains(s.getSubmissionId())) {
          int[] days =
              span.computeIfAbsent(
                  s.getDistrictId() + "|" + s.getCycle(),
                  k -> new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE});
          days[0] = Math.min(days[0], day(s));
          days[1] = Math.max(days[1], day(s));
        }
      }
    }
    for (int w : settings.rollingWindowDays()) {
      for (var districtCycle : span.entrySet()) {
        String district = districtCycle.getKey().substring(0, districtCycle.getKey().indexOf('|'));
        String cycle = districtCycle.getKey().substring(district.length() + 1);
        int start = districtCycle.getValue()[0];
        int end =
            (int)
                Math.min(
                    Math.floorDiv(newest.get(district), DAY_MS),
                    (long) districtCycle.getValue()[1] + w - 1);
        for (int d = start; d <= end; d++) {
          Map<Key, Map<String, TreeMap<String, A>>> cells = new TreeMap<>(KEY_ORDER);
          for (List<SurveySubmission> history : byRespondent.values()) {
            SurveySubmission counted = null;
            for (SurveySubmission s : history) {
              if (s.getDistrictId().equals(district)
                  && s.getCycle().equals(cycle)
                  && !late.contains(s.getSubmissionId())
                  && day(s) <= d) {
                counted = s; // histories are sorted: the last match is the latest
              }
            }
            if (counted != null && day(counted) > d - w) {
              add(reducer, counted, instruments.apply(counted), cells, cycle);
            }
          }
          publish(reducer, cells, w, d, settings.policy(), context, topics, out);
        }
      }
    }
  }

  private static <C, A extends Accumulator<C, A>> void publish(
      Reducer<C, A> reducer,
      Map<Key, Map<String, TreeMap<String, A>>> families,
      int windowDays,
      int day,
      SmallCellPolicy policy,
      Reducer.Context context,
      Map<Class<?>, String> topics,
      Map<String, Map<String, SpecificRecordBase>> out) {
    Map<String, SpecificRecordBase> topic =
        out.computeIfAbsent(topics.get(reducer.outputType()), t -> new TreeMap<>());
    families.forEach(
        (k, cells) -> {
          var decisions = policy.family(Cells.counts(cells), DISTRICT, Cells.ALL);
          cells.forEach(
              (scope, groups) ->
                  groups.forEach(
                      (group, acc) -> {
                        var cell =
                            Cells.cell(
                                k.district(),
                                school(scope),
                                k.cycle(),
                                windowDays,
                                day,
                                group,
                                k.cohort());
                        if (acc.n() == 0 && !reducer.publishesEmpty(cell, context)) {
                          return;
                        }
                        var decision =
                            acc.n() == 0 ? policy.single(0) : decisions.get(scope).get(group);
                        topic.put(
                            Cells.key(cell, k.metric()),
                            reducer.content(
                                cell,
                                k.metric(),
                                acc,
                                decision,
                                context,
                                groups,
                                decisions.getOrDefault(scope, Map.of())));
                      }));
        });
  }

  private static void changes(
      Map<Key, Map<String, TreeMap<String, ScaleAccumulator>>> scaleCells,
      Iterable<SurveySubmission> submissions,
      SmallCellPolicy policy,
      Map<Class<?>, String> topics,
      Map<String, Map<String, SpecificRecordBase>> out) {
    Map<String, Map<String, Long>> firstEvent = new HashMap<>();
    for (SurveySubmission s : submissions) {
      firstEvent
          .computeIfAbsent(s.getDistrictId(), d -> new HashMap<>())
          .merge(s.getCycle(), s.getSubmittedAt().toEpochMilli(), Math::min);
    }
    Map<String, SpecificRecordBase> topic =
        out.computeIfAbsent(topics.get(dev.chorus.avro.ScaleChange.class), t -> new TreeMap<>());
    scaleCells.forEach(
        (k, current) -> {
          if (k.cohort() != null) {
            return;
          }
          Map<String, Long> cycles = firstEvent.get(k.district());
          List<String> order = new ArrayList<>(cycles.keySet());
          order.sort(
              Comparator.<String>comparingLong(cycles::get)
                  .thenComparing(Comparator.naturalOrder()));
          int i = order.indexOf(k.cycle());
          if (i <= 0) {
            return;
          }
          String previousCycle = order.get(i - 1);
          var previous = scaleCells.get(new Key(k.district(), previousCycle, k.metric(), null));
          if (previous == null) {
            return;
          }
          var currentDecisions = policy.family(Cells.counts(current), DISTRICT, Cells.ALL);
          var previousDecisions = policy.family(Cells.counts(previous), DISTRICT, Cells.ALL);
          current.forEach(
              (scope, groups) ->
                  groups.forEach(
                      (group, acc) -> {
                        ScaleAccumulator before =
                            previous.getOrDefault(scope, new TreeMap<>()).get(group);
                        if (before == null || before.n() == 0 || acc.n() == 0) {
                          return;
                        }
                        var cell =
                            Cells.cell(k.district(), school(scope), k.cycle(), 0, 0, group, null);
                        topic.put(
                            Cells.key(cell, k.metric()),
                            ScaleChanges.content(
                                cell,
                                previousCycle,
                                k.metric(),
                                acc.stats(),
                                currentDecisions.get(scope).get(group),
                                before.stats(),
                                previousDecisions.get(scope).get(group)));
                      }));
        });
  }

  private static String school(String scope) {
    return scope.equals(DISTRICT) ? null : scope;
  }

  private static int day(SurveySubmission s) {
    return (int) Math.floorDiv(s.getSubmittedAt().toEpochMilli(), DAY_MS);
  }

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  private static final Comparator<Key> KEY_ORDER =
      Comparator.comparing(Key::district)
          .thenComparing(Key::cycle)
          .thenComparing(Key::metric)
          .thenComparing(Key::cohort, NULLS_FIRST);
}

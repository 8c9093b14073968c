package dev.chorus.processor.influence;

import dev.chorus.avro.DecisionPattern;
import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.GroupPatternShare;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.BaseReducer;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Decision patterns from the reflection block (domain spec §7), per school, window and rater role
 * group: the share of reports naming each group as shaping / giving input / leading / implementing;
 * shaping breadth; the share where a non-administrator group shaped; hierarchy mode (led only by
 * administrators, implemented only by others); co-ownership (every implementing group also shaped).
 * The transparency items are a scale like any other (scale scores).
 */
public final class DecisionPatternsReducer
    extends BaseReducer<PatternAccumulator.Report, PatternAccumulator> {

  public DecisionPatternsReducer() {
    super("decision-patterns", DecisionPattern.class, true, true);
  }

  /** The single metric id of this reducer. */
  public static final String METRIC = "reflection";

  private String administrators = "administrators";
  private final GroupNames names = new GroupNames();

  @Override
  public void contributions(
      Instrument instrument,
      SurveySubmission submission,
      BiConsumer<String, PatternAccumulator.Report> out) {
    DecisionReflection r = submission.getReflection();
    if (r == null) {
      return;
    }
    for (Instrument.Group g : instrument.groups()) {
      if ("ADMINISTRATOR".equals(g.role())) {
        administrators = g.id();
      }
    }
    out.accept(METRIC, report(r, administrators, names));
  }

  /**
   * One reflection as counts ({@code administrators} is the administrators' group id; groups are
   * numbered by {@code names}).
   */
  static PatternAccumulator.Report report(
      DecisionReflection r, String administrators, GroupNames names) {
    Set<String> shaped = new HashSet<>(r.getShapedBy());
    Set<String> led = new HashSet<>(r.getLedBy());
    Set<String> implemented = new HashSet<>(r.getImplementedBy());
    Map<String, long[]> marks = new TreeMap<>();
    mark(marks, shaped, 0);
    mark(marks, new HashSet<>(r.getInputFrom()), 1);
    mark(marks, led, 2);
    mark(marks, implemented, 3);
    int[] groups = new int[marks.size()];
    long[] roles = new long[4 * marks.size()];
    int i = 0;
    for (var mark : marks.entrySet()) {
      groups[i] = names.number(mark.getKey());
      System.arraycopy(mark.getValue(), 0, roles, 4 * i, 4);
      i++;
    }
    boolean nonAdminShaped = shaped.stream().anyMatch(g -> !g.equals(administrators));
    boolean hierarchy =
        led.equals(Set.of(administrators))
            && !implemented.isEmpty()
            && !implemented.contains(administrators);
    boolean coOwned = !implemented.isEmpty() && shaped.containsAll(implemented);
    return new PatternAccumulator.Report(
        groups, roles, shaped.size(), nonAdminShaped, hierarchy, coOwned);
  }

  private static void mark(Map<String, long[]> roles, Set<String> groups, int role) {
    for (String g : groups) {
      roles.computeIfAbsent(g, x -> new long[4])[role] = 1;
    }
  }

  @Override
  public PatternAccumulator newAccumulator() {
    return new PatternAccumulator(names);
  }

  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String metricId,
      PatternAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context) {
    DecisionPattern.Builder b =
        DecisionPattern.newBuilder()
            .setCell(cell)
            .setSuppression(Cells.suppression(d))
            .setVersion(0)
            .setComputedAt(Instant.EPOCH);
    if (d.suppressed()) {
      return b.setGroups(List.of()).build();
    }
    double n = acc.n();
    List<GroupPatternShare> groups = new ArrayList<>();
    acc.groups()
        .forEach(
            (group, g) ->
                groups.add(new GroupPatternShare(group, g[0] / n, g[1] / n, g[2] / n, g[3] / n)));
    return b.setReports((int) acc.n())
        .setGroups(groups)
        .setShapingBreadth(acc.breadth() / n)
        .setNonAdminShapedShare(acc.nonAdminShaped() / n)
        .setHierarchyModeShare(acc.hierarchyMode() / n)
        .setCoOwnershipShare(acc.coOwnership() / n)
        .build();
  }
}

package dev.chorus.processor.influence;

import dev.chorus.avro.GroupInfluence;
import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.PerceptionGap;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import dev.chorus.processor.engine.BaseReducer;
import dev.chorus.processor.engine.Cells;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Influence distribution (domain spec §7) per decision area and {@code ALL}, by rater role group:
 * per rated group the raters, mean rating and re-based influence I_g, then total influence, shares,
 * Gini, evenness, HHI, effective groups, top group and the administrator–teacher gap ({@link
 * InfluenceMath}). {@code ALL} pools every rating of a group over the decision areas. Suppression
 * counts distinct raters of the cell.
 */
public final class InfluenceReducer
    extends BaseReducer<InfluenceAccumulator.Ratings, InfluenceAccumulator> {

  public InfluenceReducer() {
    super("influence", InfluenceDistribution.class, true, true);
  }

  private static final String ADMINISTRATOR = "ADMINISTRATOR";

  /** The pooled decision area. */
  public static final String ALL_AREAS = "ALL";

  private final Map<String, String> groupOfRole = new HashMap<>();
  private final GroupNames names = new GroupNames();
  private final GroupNames areaNames = new GroupNames();
  private final Set<Instrument> seen = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, String> roleOfGroup = new TreeMap<>();

  @Override
  public void contributions(
      Instrument instrument,
      SurveySubmission submission,
      BiConsumer<String, InfluenceAccumulator.Ratings> out) {
    if (submission.getInfluence().isEmpty()) {
      return;
    }
    if (seen.add(instrument)) {
      for (Instrument.Group g : instrument.groups()) {
        if (g.role() != null) {
          groupOfRole.putIfAbsent(g.role(), g.id());
          if (!g.role().equals(ADMINISTRATOR)) {
            roleOfGroup.putIfAbsent(g.id(), g.role());
          }
        }
      }
    }
    List<InfluenceRating> ratings = submission.getInfluence();
    int[] groups = new int[ratings.size()];
    int[] areas = new int[ratings.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = names.number(ratings.get(i).getGroup());
      areas[i] = areaNames.number(ratings.get(i).getDecisionArea());
    }
    // {count, sum} per group number, per area number and pooled
    int width = 2 * names.size();
    long[][] byArea = new long[areaNames.size()][];
    long[] pooled = new long[width];
    for (int i = 0; i < groups.length; i++) {
      long[] area = byArea[areas[i]];
      if (area == null) {
        area = byArea[areas[i]] = new long[width];
      }
      int rating = ratings.get(i).getRating();
      area[2 * groups[i]]++;
      area[2 * groups[i] + 1] += rating;
      pooled[2 * groups[i]]++;
      pooled[2 * groups[i] + 1] += rating;
    }
    for (int a = 0; a < byArea.length; a++) {
      if (byArea[a] != null) {
        // The area's first-seen String: the engine's lookups by metric then compare by identity.
        out.accept(areaNames.name(a), ratings(byArea[a]));
      }
    }
    out.accept(ALL_AREAS, ratings(pooled));
  }

  /** Dense {count, sum} pairs by group number as a contribution. */
  private static InfluenceAccumulator.Ratings ratings(long[] counts) {
    int rated = 0;
    for (int g = 0; g < counts.length; g += 2) {
      rated += counts[g] > 0 ? 1 : 0;
    }
    int[] groups = new int[rated];
    long[] values = new long[3 * rated];
    int i = 0;
    for (int g = 0; g < counts.length; g += 2) {
      if (counts[g] > 0) {
        groups[i] = g / 2;
        values[3 * i] = 1;
        values[3 * i + 1] = counts[g];
        values[3 * i + 2] = counts[g + 1];
        i++;
      }
    }
    return new InfluenceAccumulator.Ratings(groups, values);
  }

  /**
   * The ALL rater cell also carries the perception gaps: administrators' mean rating of each group
   * minus the mean rating the group's own role gives it, hidden when either rater cell is.
   */
  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String area,
      InfluenceAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context,
      Map<String, InfluenceAccumulator> siblings,
      Map<String, SmallCellPolicy.Decision> siblingDecisions) {
    InfluenceDistribution base = (InfluenceDistribution) content(cell, area, acc, d, context);
    InfluenceAccumulator admins = siblings.get(ADMINISTRATOR);
    if (!Cells.ALL.equals(cell.getRoleGroup())
        || d.suppressed()
        || admins == null
        || admins.n() == 0) {
      return base;
    }
    List<PerceptionGap> gaps = new ArrayList<>();
    roleOfGroup.forEach(
        (group, role) -> {
          InfluenceAccumulator own = siblings.get(role);
          Double adminsRating = meanRating(admins, group);
          Double ownRating = own == null ? null : meanRating(own, group);
          if (adminsRating == null || ownRating == null) {
            return;
          }
          boolean hidden =
              hidden(siblingDecisions.get(ADMINISTRATOR)) || hidden(siblingDecisions.get(role));
          gaps.add(
              hidden
                  ? new PerceptionGap(group, null, null, null)
                  : new PerceptionGap(
                      group,
                      adminsRating,
                      ownRating,
                      InfluenceMath.perceptionGap(adminsRating, ownRating)));
        });
    return InfluenceDistribution.newBuilder(base).setPerceptionGaps(gaps).build();
  }

  private static boolean hidden(SmallCellPolicy.Decision d) {
    return d == null || d.suppressed();
  }

  private static Double meanRating(InfluenceAccumulator acc, String group) {
    long[] g = acc.groups().get(group);
    return g == null || g[1] == 0 ? null : (double) g[2] / g[1];
  }

  @Override
  public InfluenceAccumulator newAccumulator() {
    return new InfluenceAccumulator(names);
  }

  @Override
  public SpecificRecordBase content(
      MetricCell cell,
      String area,
      InfluenceAccumulator acc,
      SmallCellPolicy.Decision d,
      Context context) {
    InfluenceDistribution.Builder b =
        InfluenceDistribution.newBuilder()
            .setCell(cell)
            .setDecisionArea(area)
            .setSuppression(Cells.suppression(d))
            .setVersion(0)
            .setComputedAt(Instant.EPOCH);
    if (d.suppressed()) {
      return b.setGroups(List.of()).build();
    }
    Map<String, Double> influence = new TreeMap<>();
    Map<String, Double> means = new TreeMap<>();
    Map<String, long[]> byGroup = acc.groups();
    byGroup.forEach(
        (group, g) -> {
          if (g[1] > 0) {
            double mean = (double) g[2] / g[1];
            means.put(group, mean);
            influence.put(group, InfluenceMath.rebased(mean));
          }
        });
    InfluenceMath.Distribution dist = InfluenceMath.distribution(influence);
    List<GroupInfluence> groups = new ArrayList<>();
    means.forEach(
        (group, mean) ->
            groups.add(
                new GroupInfluence(
                    group,
                    (int) byGroup.get(group)[0],
                    mean,
                    influence.get(group),
                    dist.shares().get(group))));
    return b.setRaters((int) acc.n())
        .setGroups(groups)
        .setTotalInfluence(dist.total())
        .setGini(dist.gini())
        .setGiniCorrected(dist.giniCorrected())
        .setEvenness(dist.evenness())
        .setHhi(dist.hhi())
        .setHhiNormalized(dist.hhiNormalized())
        .setEffectiveGroups(dist.effectiveGroups())
        .setTopGroup(dist.topGroup())
        .setTopShare(dist.topShare())
        .setAdminTeacherGap(
            InfluenceMath.gap(
                influence,
                groupOfRole.getOrDefault("ADMINISTRATOR", "administrators"),
                groupOfRole.getOrDefault("TEACHER", "teachers")))
        .setUndefinedReason(dist.undefinedReason())
        .build();
  }
}

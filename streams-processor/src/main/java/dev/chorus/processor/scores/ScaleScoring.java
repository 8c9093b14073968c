package dev.chorus.processor.scores;

import dev.chorus.instrument.Instrument;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one respondent's answers into their contribution to each scale (domain spec §6): the scale
 * score is the mean of the answered items, reverse-scored items flipped. Scores are kept exactly,
 * as integers scaled by {@link #DENOMINATOR} (divisible by every item count up to {@link
 * #MAX_ITEMS_PER_SCALE}), so adding and retracting respondents never drifts, and cells can mix
 * instrument versions.
 */
public final class ScaleScoring {

  /** One respondent's contribution to one scale. */
  public record Contribution(String scaleId, long scaledScore, int answered, int favorable) {}

  private final Map<String, Instrument.Item> items = new HashMap<>();
  private final Map<String, Instrument.AnswerScale> answerScales = new HashMap<>();
  private final Map<String, Integer> scalePoints = new HashMap<>();

  /** Most items a scale may have (instrument validation enforces it). */
  public static final int MAX_ITEMS_PER_SCALE = 12;

  /** lcm(1..12): every respondent's mean over up to 12 items is a whole multiple of 1/27720. */
  public static final long DENOMINATOR = 27_720;

  public ScaleScoring(Instrument instrument) {
    instrument.answerScales().forEach(s -> answerScales.put(s.id(), s));
    int maxItems = 1;
    for (Instrument.Scale scale : instrument.scales()) {
      List<Instrument.Item> scaleItems = instrument.itemsOf(scale.id());
      scaleItems.forEach(i -> items.put(i.id(), i));
      maxItems = Math.max(maxItems, scaleItems.size());
      if (!scaleItems.isEmpty()) {
        scalePoints.put(scale.id(), answerScales.get(scaleItems.get(0).answerScale()).points());
      }
    }
    if (maxItems > MAX_ITEMS_PER_SCALE) {
      throw new IllegalArgumentException(
          instrument.id()
              + " v"
              + instrument.version()
              + " has a scale with "
              + maxItems
              + " items; at most "
              + MAX_ITEMS_PER_SCALE
              + " are supported");
    }
  }

  /** Scaled scores are score × this number. */
  public long denominator() {
    return DENOMINATOR;
  }

  /** Number of answer points k of a scale (for score_100). */
  public int points(String scaleId) {
    return scalePoints.getOrDefault(scaleId, 0);
  }

  /** Contributions of one respondent, by scale id; scales with no answered item are absent. */
  public Map<String, Contribution> contributions(Map<String, Integer> answers) {
    Map<String, long[]> acc = new LinkedHashMap<>();
    for (var answer : answers.entrySet()) {
      Instrument.Item item = items.get(answer.getKey());
      if (item == null) {
        continue;
      }
      Instrument.AnswerScale scale = answerScales.get(item.answerScale());
      int scored = item.scored(answer.getValue(), scale);
      long[] a = acc.computeIfAbsent(item.scale(), k -> new long[3]);
      a[0] += scored;
      a[1]++;
      if (scale.favorable(scored)) {
        a[2]++;
      }
    }
    Map<String, Contribution> result = new LinkedHashMap<>();
    acc.forEach(
        (scaleId, a) ->
            result.put(
                scaleId,
                new Contribution(scaleId, a[0] * (DENOMINATOR / a[1]), (int) a[1], (int) a[2])));
    return result;
  }
}

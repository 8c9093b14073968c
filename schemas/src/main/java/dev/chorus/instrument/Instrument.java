package dev.chorus.instrument;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned survey definition (domain spec §3): answer scales, scales (conditions, indicators,
 * the reflection's transparency scale), items, decision areas and rated groups. Plain data; load
 * and validate it with {@link InstrumentLoader}.
 */
public record Instrument(
    String id,
    int version,
    String title,
    boolean allowsFreeText,
    List<String> roles,
    List<AnswerScale> answerScales,
    List<Scale> scales,
    List<Item> items,
    List<DecisionArea> decisionAreas,
    List<Group> groups,
    String influenceAnswerScale) {

  /** Id of the built-in instrument. */
  public static final String DEFAULT_ID = "collective-leadership";

  /** An ordinal answer scale {@code min..max}, with optional favorable range and answer labels. */
  public record AnswerScale(
      String id, int min, int max, Integer favorableMin, Map<String, Integer> labels) {

    /** Number of points k of the scale. */
    public int points() {
      return max - min + 1;
    }

    /** Whether {@code value} lies on the scale. */
    public boolean contains(int value) {
      return value >= min && value <= max;
    }

    /** Whether {@code value} is in the favorable range (false when the scale has none). */
    public boolean favorable(int value) {
      return favorableMin != null && value >= favorableMin && value <= max;
    }
  }

  /** What a scale reports. */
  public enum ScaleKind {
    CONDITION,
    INDICATOR,
    REFLECTION
  }

  /** A reported scale: a condition, a single-item indicator, or the reflection's transparency. */
  public record Scale(String id, String name, ScaleKind kind, String description) {}

  /** One agreement item on a scale. */
  public record Item(
      String id, String text, String scale, String answerScale, Boolean reverseScored) {

    /**
     * The answer as it counts toward the scale: flipped on the answer scale when reverse-scored.
     */
    public int scored(int answer, AnswerScale on) {
      return Boolean.TRUE.equals(reverseScored) ? on.min() + on.max() - answer : answer;
    }
  }

  /** An area of decisions whose influence is rated. */
  public record DecisionArea(String id, String name) {}

  /** A group whose influence is rated; {@code role} links it to respondents of that role. */
  public record Group(String id, String name, String role) {}

  /** The answer scale with this id, if any. */
  public Optional<AnswerScale> answerScale(String answerScaleId) {
    return answerScales.stream().filter(s -> s.id().equals(answerScaleId)).findFirst();
  }

  /** The item with this id, if any. */
  public Optional<Item> item(String itemId) {
    return items.stream().filter(i -> i.id().equals(itemId)).findFirst();
  }

  /** The items of one scale, in instrument order. */
  public List<Item> itemsOf(String scaleId) {
    return items.stream().filter(i -> i.scale().equals(scaleId)).toList();
  }
}

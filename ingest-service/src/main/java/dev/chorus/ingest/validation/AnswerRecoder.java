package dev.chorus.ingest.validation;

import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentValidator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns an exported answer into its value on the item's answer scale: a number ("4", "4.0"), or a
 * label of the instrument's answer scale ("Strongly agree"), case- and whitespace-insensitive.
 * "Don't know" and blanks are missing answers, not errors.
 */
public final class AnswerRecoder {

  /** Outcome of recoding one answer. */
  public sealed interface Result {
    /** The answer is on the scale. */
    record Value(int value) implements Result {}

    /** The respondent gave no answer. */
    record Missing() implements Result {}

    /** A number off the scale. */
    record OutOfScale(long value) implements Result {}

    /** Text that is neither a number nor a label of the scale. */
    record Unrecognized() implements Result {}
  }

  private static final Set<String> MISSING =
      Set.of("", "don't know", "dont know", "do not know", "n/a", "na", "not applicable", "-");

  private final Map<String, Map<String, Integer>> labelsByScale = new HashMap<>();
  private final Map<String, Instrument.AnswerScale> scales = new HashMap<>();

  public AnswerRecoder(Instrument instrument) {
    for (Instrument.AnswerScale scale : instrument.answerScales()) {
      Map<String, Integer> labels = new HashMap<>();
      scale
          .labels()
          .forEach((label, value) -> labels.put(InstrumentValidator.normalizeLabel(label), value));
      labelsByScale.put(scale.id(), labels);
      scales.put(scale.id(), scale);
    }
  }

  /** Recodes {@code raw} on the answer scale {@code scaleId}. */
  public Result recode(String scaleId, String raw) {
    Instrument.AnswerScale scale = scales.get(scaleId);
    if (raw != null && raw.length() == 1 && Character.isDigit(raw.charAt(0))) {
      // Fast path: most exports hold bare single-digit answers.
      int value = raw.charAt(0) - '0';
      return scale.contains(value) ? new Result.Value(value) : new Result.OutOfScale(value);
    }
    String normalized =
        raw == null ? "" : InstrumentValidator.normalizeLabel(raw.replace('\u2019', '\''));
    if (MISSING.contains(normalized)) {
      return new Result.Missing();
    }
    Integer labelled = labelsByScale.getOrDefault(scaleId, Map.of()).get(normalized);
    if (labelled != null) {
      return new Result.Value(labelled);
    }
    Long number = wholeNumber(normalized);
    if (number == null) {
      return new Result.Unrecognized();
    }
    if (number < scale.min() || number > scale.max()) {
      return new Result.OutOfScale(number);
    }
    return new Result.Value(number.intValue());
  }

  private static Long wholeNumber(String text) {
    String t = text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    if (t.isEmpty() || t.length() > 18) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(Character.isDigit(c) || (i == 0 && (c == '-' || c == '+')))) {
        return null;
      }
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

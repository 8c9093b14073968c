package dev.chorus.instrument;

import dev.chorus.instrument.Instrument.AnswerScale;
import dev.chorus.instrument.Instrument.Item;
import dev.chorus.instrument.Instrument.Scale;
import dev.chorus.instrument.Instrument.ScaleKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Checks an instrument's internal consistency; returns every problem rather than the first. */
public final class InstrumentValidator {

  /** Respondent roles an instrument may use (domain spec §2). */
  public static final Set<String> KNOWN_ROLES =
      Set.of(
          "ADMINISTRATOR",
          "TEACHER",
          "PARAPROFESSIONAL",
          "SUPPORT_STAFF",
          "OTHER_STAFF",
          "STUDENT",
          "FAMILY");

  /** Ids end up in CSV headers, topic keys and ClickHouse rows: keep them plain. */
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  private static final Pattern INSTRUMENT_ID = Pattern.compile("[a-z][a-z0-9_-]*");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private InstrumentValidator() {}

  /** All problems of {@code instrument}; empty when it is valid. */
  public static List<String> problems(Instrument instrument) {
    List<String> problems = new ArrayList<>();
    if (instrument.id() == null || !INSTRUMENT_ID.matcher(instrument.id()).matches()) {
      problems.add("id '" + instrument.id() + "' must match " + INSTRUMENT_ID);
    }
    if (instrument.version() < 1) {
      problems.add("version must be 1 or more, got " + instrument.version());
    }
    if (instrument.title() == null || instrument.title().isBlank()) {
      problems.add("title is required");
    }
    if (instrument.roles().isEmpty()) {
      problems.add("roles must list at least one respondent role");
    }
    for (String role : instrument.roles()) {
      if (!KNOWN_ROLES.contains(role)) {
        problems.add("role '" + role + "' is not one of " + KNOWN_ROLES);
      }
    }
    checkIds(problems, "answer scale", instrument.answerScales(), AnswerScale::id);
    checkIds(problems, "scale", instrument.scales(), Scale::id);
    checkIds(problems, "item", instrument.items(), Item::id);
    checkIds(problems, "decision area", instrument.decisionAreas(), Instrument.DecisionArea::id);
    checkIds(problems, "group", instrument.groups(), Instrument.Group::id);
    instrument.answerScales().forEach(scale -> checkAnswerScale(problems, scale));
    checkItems(problems, instrument);
    checkInfluence(problems, instrument);
    return problems;
  }

  private static void checkAnswerScale(List<String> problems, AnswerScale scale) {
    String where = "answer scale '" + scale.id() + "'";
    if (scale.min() >= scale.max()) {
      problems.add(where + ": min " + scale.min() + " must be below max " + scale.max());
    }
    if (scale.favorableMin() != null && !scale.contains(scale.favorableMin())) {
      problems.add(
          where
              + ": favorable_min "
              + scale.favorableMin()
              + " lies outside "
              + scale.min()
              + ".."
              + scale.max());
    }
    Map<String, String> normalized = new HashMap<>();
    scale
        .labels()
        .forEach(
            (label, value) -> {
              if (value == null || !scale.contains(value)) {
                problems.add(
                    where + ": label '" + label + "' maps to " + value + ", off the scale");
              }
              String previous = normalized.put(normalizeLabel(label), label);
              if (previous != null) {
                problems.add(
                    where
                        + ": labels '"
                        + previous
                        + "' and '"
                        + label
                        + "' are the same answer text");
              }
            });
  }

  private static void checkItems(List<String> problems, Instrument instrument) {
    Set<String> scaleIds = new HashSet<>();
    instrument.scales().forEach(s -> scaleIds.add(s.id()));
    for (Item item : instrument.items()) {
      String where = "item '" + item.id() + "'";
      if (item.text() == null || item.text().isBlank()) {
        problems.add(where + ": text is required");
      }
      if (!scaleIds.contains(item.scale())) {
        problems.add(where + ": scale '" + item.scale() + "' is not defined");
      }
      if (instrument.answerScale(item.answerScale()).isEmpty()) {
        problems.add(where + ": answer scale '" + item.answerScale() + "' is not defined");
      }
      if (item.reverseScored() == null) {
        problems.add(where + ": reverse_scored must be given as true or false");
      }
    }
    for (Scale scale : instrument.scales()) {
      String where = "scale '" + scale.id() + "'";
      if (scale.kind() == null) {
        problems.add(where + ": kind must be one of CONDITION, INDICATOR, REFLECTION");
        continue;
      }
      List<Item> items = instrument.itemsOf(scale.id());
      if (items.isEmpty()) {
        problems.add(where + " has no items");
      }
      if (items.size() > 12) {
        problems.add(where + " has " + items.size() + " items; at most 12 are supported");
      }
      if (scale.kind() == ScaleKind.INDICATOR && items.size() > 1) {
        problems.add(
            where + " is an indicator and must have exactly one item, has " + items.size());
      }
      long answerScales = items.stream().map(Item::answerScale).distinct().count();
      if (answerScales > 1) {
        problems.add(where + ": its items use " + answerScales + " answer scales; scores need one");
      }
    }
  }

  private static void checkInfluence(List<String> problems, Instrument instrument) {
    if (instrument.decisionAreas().isEmpty()) {
      return;
    }
    if (instrument.groups().size() < 2) {
      problems.add("an influence matrix needs at least two rated groups");
    }
    if (instrument.influenceAnswerScale() == null
        || instrument.answerScale(instrument.influenceAnswerScale()).isEmpty()) {
      problems.add(
          "influence_answer_scale '" + instrument.influenceAnswerScale() + "' is not defined");
    }
    for (Instrument.Group group : instrument.groups()) {
      if (group.role() != null && !KNOWN_ROLES.contains(group.role())) {
        problems.add("group '" + group.id() + "': role '" + group.role() + "' is not known");
      }
    }
  }

  private static <T> void checkIds(
      List<String> problems, String kind, List<T> elements, Function<T, String> id) {
    Set<String> seen = new HashSet<>();
    for (T element : elements) {
      String value = id.apply(element);
      if (value == null || !ID.matcher(value).matches()) {
        problems.add(kind + " id '" + value + "' must match " + ID);
      } else if (!seen.add(value)) {
        problems.add(kind + " id '" + value + "' is defined more than once");
      }
    }
  }

  /** Answer text as compared when recoding: case- and whitespace-insensitive. */
  public static String normalizeLabel(String label) {
    return WHITESPACE.matcher(label.trim()).replaceAll(" ").toLowerCase(Locale.ROOT);
  }
}

package dev.chorus.ingest.validation;

import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.Role;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.Instrument;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a draft against its instrument and the district's school directory (domain spec §4) and
 * builds the Avro submission, pseudonymized. Pure: no I/O. Every problem of a row is reported, not
 * just the first; nothing is clamped or silently dropped (except free text the instrument does not
 * allow, which is dropped by policy).
 */
public final class SubmissionValidator {

  /** Reflection fields, in the order they appear in the Avro record. */
  public static final List<String> REFLECTION_KINDS =
      List.of("shaped_by", "input_from", "led_by", "implemented_by");

  /** Longest raw value accepted in any field. */
  public static final int MAX_FIELD_LENGTH = 10_000;

  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  private static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);
  private static final Pattern CYCLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SUBMISSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final Pattern COHORT = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");

  /** Result: an accepted submission, or the reasons it was rejected. */
  public sealed interface Outcome {
    /** The draft is valid. */
    record Valid(SurveySubmission submission) implements Outcome {}

    /**
     * The draft is invalid.
     *
     * @param respondentKey the pseudonymized identifier, for the dead letter (null if none)
     */
    record Invalid(List<Rejection> reasons, String respondentKey) implements Outcome {}
  }

  private final Instrument instrument;
  private final AnswerRecoder recoder;
  private final Set<String> schools;
  private final Pseudonymizer pseudonymizer;
  private final ZoneId zone;
  private final Map<String, Instrument.Item> items = new java.util.HashMap<>();
  private final Set<String> areas = new java.util.HashSet<>();
  private final Map<String, String> groupsByName = new java.util.HashMap<>();
  private final Set<String> roles = new java.util.HashSet<>();

  /**
   * @param instrument the instrument the drafts name, or null when it is unknown
   * @param schools the district's school ids, or null when it has registered none
   */
  public SubmissionValidator(
      Instrument instrument, Set<String> schools, Pseudonymizer pseudonymizer, ZoneId zone) {
    this.instrument = instrument;
    this.recoder = instrument == null ? null : new AnswerRecoder(instrument);
    this.schools = schools;
    this.pseudonymizer = pseudonymizer;
    this.zone = zone;
    if (instrument != null) {
      instrument.items().forEach(i -> items.put(i.id(), i));
      instrument.decisionAreas().forEach(a -> areas.add(a.id()));
      instrument
          .groups()
          .forEach(
              g -> {
                groupsByName.put(g.id(), g.id());
                groupsByName.put(g.name().toLowerCase(Locale.ROOT), g.id());
              });
      roles.addAll(instrument.roles());
    }
  }

  /** Validates {@code draft}, received at {@code receivedAt} from {@code source}. */
  public Outcome validate(SubmissionDraft draft, Instant receivedAt, SubmissionSource source) {
    List<Rejection> reasons = new ArrayList<>();
    String respondentKey = null;
    if (!blank(draft.respondentId())) {
      if (draft.respondentId().length() > 320) {
        reasons.add(tooLarge(draft, "respondent_id"));
      } else {
        respondentKey = pseudonymizer.respondentKey(draft.respondentId());
      }
    }
    checkLengths(draft, reasons);
    if (!blank(draft.submissionId()) && !SUBMISSION_ID.matcher(draft.submissionId()).matches()) {
      reasons.add(
          new Rejection(
              ReasonCode.MALFORMED,
              draft.locate("submission_id"),
              "submission id must be 1-128 letters, digits or . _ : -"));
    }
    if (blank(draft.cycle())) {
      reasons.add(missing(draft, "cycle", "cycle is required"));
    } else if (!CYCLE.matcher(draft.cycle()).matches()) {
      reasons.add(
          new Rejection(
              ReasonCode.MALFORMED,
              draft.locate("cycle"),
              "cycle '" + abbreviate(draft.cycle()) + "' must be 1-64 letters, digits or . _ -"));
    }
    if (blank(draft.schoolId())) {
      reasons.add(missing(draft, "school_id", "school is required"));
    } else if (schools == null) {
      reasons.add(
          new Rejection(
              ReasonCode.UNKNOWN_SCHOOL,
              draft.locate("school_id"),
              "district '"
                  + draft.districtId()
                  + "' has no school directory yet: PUT /v1/districts/"
                  + draft.districtId()
                  + "/schools first"));
    } else if (!schools.contains(draft.schoolId().trim())) {
      reasons.add(
          new Rejection(
              ReasonCode.UNKNOWN_SCHOOL,
              draft.locate("school_id"),
              "school '"
                  + abbreviate(draft.schoolId())
                  + "' is not in the district's school directory"));
    }
    Instant submittedAt = checkTimestamp(draft, receivedAt, reasons);
    if (instrument == null) {
      reasons.add(
          new Rejection(
              ReasonCode.UNKNOWN_INSTRUMENT,
              draft.locate("instrument"),
              "instrument '"
                  + draft.instrumentId()
                  + "' version "
                  + draft.instrumentVersion()
                  + " is not registered"));
      return new Outcome.Invalid(reasons, respondentKey);
    }
    Role role = checkRole(draft, reasons);
    Map<String, Integer> answers = checkAnswers(draft, reasons);
    List<InfluenceRating> influence = checkInfluence(draft, reasons);
    DecisionReflection reflection = checkReflection(draft, reasons);
    List<String> cohorts = checkCohorts(draft, reasons);
    if (answers.isEmpty() && influence.isEmpty() && reflection == null && reasons.isEmpty()) {
      reasons.add(new Rejection(ReasonCode.MISSING_FIELD, null, "the row has no answered items"));
    }
    if (!reasons.isEmpty()) {
      return new Outcome.Invalid(reasons, respondentKey);
    }
    SurveySubmission submission =
        SurveySubmission.newBuilder()
            .setSubmissionId(draft.submissionId())
            .setDistrictId(draft.districtId())
            .setSchoolId(draft.schoolId().trim())
            .setCycle(draft.cycle())
            .setInstrumentId(instrument.id())
            .setInstrumentVersion(instrument.version())
            .setRespondentKey(respondentKey)
            .setRole(role)
            .setCohortTags(cohorts)
            .setSubmittedAt(submittedAt)
            .setReceivedAt(receivedAt)
            .setAnswers(answers)
            .setInfluence(influence)
            .setReflection(reflection)
            .setFreeText(instrument.allowsFreeText() ? new TreeMap<>(draft.freeText()) : Map.of())
            .setSource(source)
            .build();
    return new Outcome.Valid(submission);
  }

  private void checkLengths(SubmissionDraft draft, List<Rejection> reasons) {
    for (var entry : draft.answers().entrySet()) {
      if (entry.getValue() != null && entry.getValue().length() > MAX_FIELD_LENGTH) {
        reasons.add(tooLarge(draft, "answers/" + entry.getKey()));
      }
    }
    for (String field :
        new String[] {draft.schoolId(), draft.role(), draft.submittedAt(), draft.cycle()}) {
      if (field != null && field.length() > MAX_FIELD_LENGTH) {
        reasons.add(
            new Rejection(
                ReasonCode.FIELD_TOO_LARGE,
                null,
                "a field exceeds " + MAX_FIELD_LENGTH + " characters"));
        return;
      }
    }
  }

  private Instant checkTimestamp(
      SubmissionDraft draft, Instant receivedAt, List<Rejection> reasons) {
    if (blank(draft.submittedAt())) {
      reasons.add(missing(draft, "submitted_at", "submission timestamp is required"));
      return null;
    }
    Optional<Instant> parsed = Timestamps.parse(draft.submittedAt(), zone);
    if (parsed.isEmpty()) {
      reasons.add(
          new Rejection(
              ReasonCode.INVALID_TIMESTAMP,
              draft.locate("submitted_at"),
              "'"
                  + abbreviate(draft.submittedAt())
                  + "' is not a timestamp (ISO-8601, 'M/d/yyyy H:mm:ss' or 'yyyy-MM-dd HH:mm:ss')"));
      return null;
    }
    Instant at = parsed.get();
    if (at.isBefore(EARLIEST) || at.isAfter(receivedAt.plus(FUTURE_TOLERANCE))) {
      reasons.add(
          new Rejection(
              ReasonCode.TIMESTAMP_OUT_OF_RANGE,
              draft.locate("submitted_at"),
              "timestamp " + at + " lies before 2000 or more than a day in the future"));
      return null;
    }
    return at;
  }

  private Role checkRole(SubmissionDraft draft, List<Rejection> reasons) {
    if (blank(draft.role())) {
      reasons.add(missing(draft, "role", "role is required"));
      return Role.UNKNOWN;
    }
    Optional<Role> role = Roles.parse(draft.role());
    if (role.isEmpty() || !roles.contains(role.get().name())) {
      reasons.add(
          new Rejection(
              ReasonCode.UNKNOWN_ROLE,
              draft.locate("role"),
              "role '" + abbreviate(draft.role()) + "' is not one of " + instrument.roles()));
      return Role.UNKNOWN;
    }
    return role.get();
  }

  private Map<String, Integer> checkAnswers(SubmissionDraft draft, List<Rejection> reasons) {
    Map<String, Integer> answers = new LinkedHashMap<>(draft.answers().size() * 4 / 3 + 1);
    for (var entry : draft.answers().entrySet()) {
      String itemId = entry.getKey();
      Instrument.Item item = items.get(itemId);
      // Locations are built only for rejections: valid rows are the hot path.
      java.util.function.Supplier<String> where = () -> draft.locate("answers/" + itemId);
      if (item == null) {
        reasons.add(
            new Rejection(
                ReasonCode.UNKNOWN_ITEM,
                where.get(),
                "'"
                    + abbreviate(itemId)
                    + "' is not an item of "
                    + instrument.id()
                    + " v"
                    + instrument.version()));
        continue;
      }
      Integer value = recode(item.answerScale(), entry.getValue(), where, reasons);
      if (value != null) {
        answers.put(itemId, value);
      }
    }
    return answers;
  }

  private List<InfluenceRating> checkInfluence(SubmissionDraft draft, List<Rejection> reasons) {
    List<InfluenceRating> ratings = new ArrayList<>();
    for (var area : draft.influence().entrySet()) {
      if (!areas.contains(area.getKey())) {
        reasons.add(
            new Rejection(
                ReasonCode.UNKNOWN_DECISION_AREA,
                draft.locate("influence/" + area.getKey()),
                "'" + abbreviate(area.getKey()) + "' is not a decision area of the instrument"));
        continue;
      }
      for (var rating : area.getValue().entrySet()) {
        java.util.function.Supplier<String> where =
            () -> draft.locate("influence/" + area.getKey() + "/" + rating.getKey());
        Optional<String> group = group(rating.getKey());
        if (group.isEmpty()) {
          reasons.add(
              new Rejection(
                  ReasonCode.UNKNOWN_GROUP,
                  where.get(),
                  "'" + abbreviate(rating.getKey()) + "' is not a rated group"));
          continue;
        }
        Integer value =
            recode(instrument.influenceAnswerScale(), rating.getValue(), where, reasons);
        if (value != null) {
          ratings.add(new InfluenceRating(area.getKey(), group.get(), value));
        }
      }
    }
    return ratings;
  }

  private DecisionReflection checkReflection(SubmissionDraft draft, List<Rejection> reasons) {
    Map<String, List<String>> resolved = new LinkedHashMap<>();
    for (var entry : draft.reflection().entrySet()) {
      String where = draft.locate("reflection/" + entry.getKey());
      if (!REFLECTION_KINDS.contains(entry.getKey())) {
        reasons.add(
            new Rejection(
                ReasonCode.UNKNOWN_ITEM,
                where,
                "'"
                    + abbreviate(entry.getKey())
                    + "' is not a reflection field "
                    + REFLECTION_KINDS));
        continue;
      }
      Set<String> groups = new LinkedHashSet<>();
      for (String name : entry.getValue()) {
        if (blank(name)) {
          continue;
        }
        Optional<String> group = group(name);
        if (group.isEmpty()) {
          reasons.add(
              new Rejection(
                  ReasonCode.UNKNOWN_GROUP,
                  where,
                  "'" + abbreviate(name) + "' is not a group of the instrument"));
        } else {
          groups.add(group.get());
        }
      }
      if (!groups.isEmpty()) {
        resolved.put(entry.getKey(), List.copyOf(groups));
      }
    }
    if (resolved.isEmpty()) {
      return null;
    }
    return DecisionReflection.newBuilder()
        .setShapedBy(resolved.getOrDefault("shaped_by", List.of()))
        .setInputFrom(resolved.getOrDefault("input_from", List.of()))
        .setLedBy(resolved.getOrDefault("led_by", List.of()))
        .setImplementedBy(resolved.getOrDefault("implemented_by", List.of()))
        .build();
  }

  private List<String> checkCohorts(SubmissionDraft draft, List<Rejection> reasons) {
    Set<String> cohorts = new LinkedHashSet<>();
    for (String tag : draft.cohortTags()) {
      String t = tag == null ? "" : tag.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!COHORT.matcher(t).matches()) {
        reasons.add(
            new Rejection(
                ReasonCode.MALFORMED,
                draft.locate("cohort_tags"),
                "cohort tag '"
                    + abbreviate(t)
                    + "' must be 1-64 letters, digits, spaces or . _ -"));
      } else {
        cohorts.add(t);
      }
    }
    return List.copyOf(cohorts);
  }

  private Integer recode(
      String scaleId,
      String raw,
      java.util.function.Supplier<String> location,
      List<Rejection> reasons) {
    AnswerRecoder.Result result = recoder.recode(scaleId, raw);
    if (result instanceof AnswerRecoder.Result.Value v) {
      return v.value();
    }
    Instrument.AnswerScale scale = instrument.answerScale(scaleId).orElseThrow();
    String where = location.get();
    if (result instanceof AnswerRecoder.Result.OutOfScale o) {
      reasons.add(
          new Rejection(
              ReasonCode.ANSWER_OUT_OF_SCALE,
              where,
              o.value() + " is outside the answer scale " + scale.min() + ".." + scale.max()));
    } else if (result instanceof AnswerRecoder.Result.Unrecognized) {
      reasons.add(
          new Rejection(
              ReasonCode.UNRECOGNIZED_ANSWER,
              where,
              "'"
                  + abbreviate(raw)
                  + "' is neither a number on "
                  + scale.min()
                  + ".."
                  + scale.max()
                  + " nor one of the answer labels "
                  + scale.labels().keySet()));
    }
    return null;
  }

  private Optional<String> group(String name) {
    String id = groupsByName.get(name);
    return Optional.ofNullable(
        id != null ? id : groupsByName.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  private static Rejection missing(SubmissionDraft draft, String field, String message) {
    return new Rejection(ReasonCode.MISSING_FIELD, draft.locate(field), message);
  }

  private static Rejection tooLarge(SubmissionDraft draft, String field) {
    return new Rejection(
        ReasonCode.FIELD_TOO_LARGE,
        draft.locate(field),
        "value exceeds " + MAX_FIELD_LENGTH + " characters");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Quotes at most 80 characters of user input in messages. */
  static String abbreviate(String s) {
    String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "…";
  }
}

package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.Role;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.ingest.validation.Pseudonymizer;
import dev.chorus.ingest.validation.Rejection;
import dev.chorus.ingest.validation.SubmissionDraft;
import dev.chorus.ingest.validation.SubmissionValidator;
import dev.chorus.instrument.InstrumentLoader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubmissionValidatorTest {

  private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
  private static final Pseudonymizer KEYS =
      new Pseudonymizer("a-secret-that-is-long-enough-0123456789".getBytes(StandardCharsets.UTF_8));
  private static final SubmissionValidator VALIDATOR =
      new SubmissionValidator(
          InstrumentLoader.defaultInstrument(), Set.of("s1"), KEYS, ZoneId.of("America/New_York"));
  private static final SubmissionSource SOURCE =
      new SubmissionSource(SourceChannel.API, null, null, null);

  private static SubmissionDraft draft(
      String school, String role, String at, Map<String, String> answers) {
    return new SubmissionDraft(
        "id-1",
        "d1",
        school,
        "2026-fall",
        "collective-leadership",
        1,
        "Jane@X.org ",
        role,
        List.of("pilot"),
        at,
        answers,
        Map.of(),
        Map.of(),
        Map.of("note", "free text"),
        Map.of());
  }

  private static List<ReasonCode> codes(SubmissionDraft draft) {
    var outcome = VALIDATOR.validate(draft, NOW, SOURCE);
    assertThat(outcome).isInstanceOf(SubmissionValidator.Outcome.Invalid.class);
    return ((SubmissionValidator.Outcome.Invalid) outcome)
        .reasons().stream().map(Rejection::code).toList();
  }

  @Test
  void validDraftBecomesAPseudonymizedSubmission() {
    var outcome =
        VALIDATOR.validate(
            draft(
                "s1",
                "Asst. Principal",
                "11/1/2026 7:00:00",
                Map.of("burnout_risk", "Agree", "trust_respect_1", "5")),
            NOW,
            SOURCE);
    var submission = ((SubmissionValidator.Outcome.Valid) outcome).submission();
    assertThat(submission.getRole()).isEqualTo(Role.ADMINISTRATOR);
    assertThat(submission.getRespondentKey())
        .isEqualTo(KEYS.respondentKey("jane@x.org"))
        .hasSize(64)
        .doesNotContain("jane");
    assertThat(submission.getAnswers())
        .containsEntry("burnout_risk", 4)
        .containsEntry("trust_respect_1", 5);
    assertThat(submission.getSubmittedAt())
        .isEqualTo(Instant.parse("2026-11-01T12:00:00Z")); // 1 Nov 2026: DST has ended, EST = UTC-5
    assertThat(submission.getFreeText())
        .as("the default instrument does not allow free text")
        .isEmpty();
    assertThat(submission.getCohortTags()).containsExactly("pilot");
  }

  @Test
  void everyProblemOfARowIsReported() {
    assertThat(
            codes(
                draft(
                    "s9",
                    "Astronaut",
                    "someday",
                    Map.of("vision_strategy_1", "6", "nope_1", "3", "trust_respect_2", "maybe"))))
        .containsExactlyInAnyOrder(
            ReasonCode.UNKNOWN_SCHOOL,
            ReasonCode.INVALID_TIMESTAMP,
            ReasonCode.UNKNOWN_ROLE,
            ReasonCode.ANSWER_OUT_OF_SCALE,
            ReasonCode.UNKNOWN_ITEM,
            ReasonCode.UNRECOGNIZED_ANSWER);
  }

  @Test
  void missingFieldsAndEmptyRows() {
    assertThat(codes(draft("", "", "", Map.of()))).contains(ReasonCode.MISSING_FIELD);
    assertThat(
            codes(draft("s1", "Teacher", "2026-10-01", Map.of("vision_strategy_1", "Don't know"))))
        .containsExactly(ReasonCode.MISSING_FIELD);
  }

  @Test
  void timestampsOutsideTheSaneRangeAreRejected() {
    assertThat(
            codes(draft("s1", "Teacher", "1999-12-31T00:00:00Z", Map.of("vision_strategy_1", "3"))))
        .containsExactly(ReasonCode.TIMESTAMP_OUT_OF_RANGE);
    assertThat(
            codes(draft("s1", "Teacher", "2026-11-03T00:00:00Z", Map.of("vision_strategy_1", "3"))))
        .containsExactly(ReasonCode.TIMESTAMP_OUT_OF_RANGE);
  }

  @Test
  void influenceAndReflectionAreCheckedAgainstTheInstrument() {
    SubmissionDraft draft =
        new SubmissionDraft(
            "id",
            "d1",
            "s1",
            "c1",
            "collective-leadership",
            1,
            null,
            "Teacher",
            List.of(),
            "2026-10-01",
            Map.of(),
            Map.of(
                "budget_resources",
                Map.of("teachers", "9", "aliens", "2"),
                "lunch_menu",
                Map.of("teachers", "2")),
            Map.of("shaped_by", List.of("Teachers", "Wizards")),
            Map.of(),
            Map.of());
    assertThat(codes(draft))
        .containsExactlyInAnyOrder(
            ReasonCode.ANSWER_OUT_OF_SCALE,
            ReasonCode.UNKNOWN_GROUP,
            ReasonCode.UNKNOWN_DECISION_AREA,
            ReasonCode.UNKNOWN_GROUP);
  }

  @Test
  void withoutASchoolDirectoryEverySchoolIsUnknown() {
    SubmissionValidator noDirectory =
        new SubmissionValidator(InstrumentLoader.defaultInstrument(), null, KEYS, ZoneId.of("UTC"));
    var outcome =
        noDirectory.validate(
            draft("s1", "Teacher", "2026-10-01", Map.of("vision_strategy_1", "3")), NOW, SOURCE);
    assertThat(((SubmissionValidator.Outcome.Invalid) outcome).reasons().get(0).message())
        .contains("PUT /v1/districts/d1/schools");
  }

  @Test
  void unknownInstrumentIsRejected() {
    SubmissionValidator unknown =
        new SubmissionValidator(null, Set.of("s1"), KEYS, ZoneId.of("UTC"));
    var outcome = unknown.validate(draft("s1", "Teacher", "2026-10-01", Map.of()), NOW, SOURCE);
    assertThat(((SubmissionValidator.Outcome.Invalid) outcome).reasons())
        .extracting(Rejection::code)
        .contains(ReasonCode.UNKNOWN_INSTRUMENT);
  }
}

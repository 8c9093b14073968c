package dev.chorus.processor.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.chorus.avro.Role;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchScaleScoresTest {

  private static int counter;

  private static SurveySubmission submission(String respondent, Role role, String at, int vision) {
    return SurveySubmission.newBuilder()
        .setSubmissionId("s" + counter++)
        .setDistrictId("d1")
        .setSchoolId("lincoln")
        .setCycle("2026-fall")
        .setInstrumentId("collective-leadership")
        .setInstrumentVersion(1)
        .setRespondentKey(respondent)
        .setRole(role)
        .setSubmittedAt(Instant.parse(at))
        .setReceivedAt(Instant.parse("2026-10-20T00:00:00Z"))
        .setAnswers(Map.of("vision_strategy_1", vision))
        .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
        .build();
  }

  private static BatchScaleScores.Cell cell(
      List<BatchScaleScores.Cell> cells, String school, String group) {
    return cells.stream()
        .filter(
            c ->
                java.util.Objects.equals(c.key().schoolId(), school)
                    && c.key().roleGroup().equals(group)
                    && c.key().scaleId().equals("vision_strategy"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void latestWinsDuplicatesCountOnceAnonymousCountEach() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(submission("t" + i, Role.TEACHER, "2026-10-01T10:00:00Z", 2));
    }
    input.add(submission("t0", Role.TEACHER, "2026-10-05T10:00:00Z", 5)); // t0 resubmits: 2 -> 5
    input.add(
        submission("t1", Role.TEACHER, "2026-09-30T10:00:00Z", 1)); // older than t1's: ignored
    input.add(input.get(2)); // the same submission delivered twice
    input.add(submission(null, Role.TEACHER, "2026-10-02T10:00:00Z", 4)); // anonymous
    input.add(submission(null, Role.TEACHER, "2026-10-02T10:00:00Z", 4)); // another anonymous
    Collections.shuffle(input, new Random(7));

    var cells =
        BatchScaleScores.compute(
            input, InstrumentLoader.defaultInstrument(), new SmallCellPolicy(5));

    BatchScaleScores.Cell teachers = cell(cells, "lincoln", "TEACHER");
    assertThat(teachers.n()).isEqualTo(8);
    assertThat(teachers.mean()).isCloseTo((5 + 2 * 5 + 4 * 2) / 8.0, offset(1e-12));
    assertThat(cell(cells, null, "ALL").n()).as("district rollup").isEqualTo(8);
  }

  @Test
  void smallRoleGroupIsSuppressedAndItsSiblingComplementarily() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      input.add(submission("t" + i, Role.TEACHER, "2026-10-01T10:00:00Z", 4));
    }
    for (int i = 0; i < 6; i++) {
      input.add(submission("p" + i, Role.PARAPROFESSIONAL, "2026-10-01T10:00:00Z", 3));
    }
    input.add(submission("a0", Role.ADMINISTRATOR, "2026-10-01T10:00:00Z", 5));
    input.add(submission("a1", Role.ADMINISTRATOR, "2026-10-01T10:00:00Z", 5));

    var cells =
        BatchScaleScores.compute(
            input, InstrumentLoader.defaultInstrument(), new SmallCellPolicy(5));

    BatchScaleScores.Cell admins = cell(cells, "lincoln", "ADMINISTRATOR");
    assertThat(admins.suppressed()).isTrue();
    assertThat(admins.mean()).isNull();
    assertThat(admins.nBand()).isEqualTo("<5");
    BatchScaleScores.Cell paras = cell(cells, "lincoln", "PARAPROFESSIONAL");
    assertThat(paras.suppressed()).isTrue();
    assertThat(paras.reason()).isEqualTo(SmallCellPolicy.Reason.COMPLEMENTARY);
    assertThat(cell(cells, "lincoln", "TEACHER").suppressed()).isFalse();
    assertThat(cell(cells, "lincoln", "ALL").n()).isEqualTo(20);
  }
}

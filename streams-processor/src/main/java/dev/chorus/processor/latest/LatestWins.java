package dev.chorus.processor.latest;

import dev.chorus.avro.SurveySubmission;
import java.util.Comparator;

/**
 * Which of a respondent's submissions counts (domain spec §4): the latest by {@code submitted_at},
 * ties broken by {@code received_at}, then by submission id. Anonymous submissions are their own
 * respondents, so each counts once.
 */
public final class LatestWins {

  /** Orders submissions oldest first; the maximum is the one that counts. */
  public static final Comparator<SurveySubmission> ORDER =
      Comparator.comparing(SurveySubmission::getSubmittedAt)
          .thenComparing(SurveySubmission::getReceivedAt)
          .thenComparing(SurveySubmission::getSubmissionId);

  private LatestWins() {}

  /** The respondent a submission belongs to within its school and cycle. */
  public static String respondent(SurveySubmission s) {
    return s.getRespondentKey() != null
        ? "key:" + s.getRespondentKey()
        : "anon:" + s.getSubmissionId();
  }

  /**
   * The key under which a respondent's latest submission is kept: district, school, cycle,
   * respondent.
   */
  public static String respondentKey(SurveySubmission s) {
    return s.getDistrictId() + "|" + s.getSchoolId() + "|" + s.getCycle() + "|" + respondent(s);
  }

  /** Whether {@code candidate} replaces {@code current} (null: nothing counted yet). */
  public static boolean supersedes(SurveySubmission candidate, SurveySubmission current) {
    return current == null || ORDER.compare(candidate, current) > 0;
  }
}

package dev.chorus.processor.engine;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.processor.latest.LatestWins;
import java.util.ArrayList;
import java.util.List;

/**
 * Every submission of one respondent in one school and cycle, oldest first by {@link
 * LatestWins#ORDER}. The last entry counts for the cycle to date; entries that arrived within the
 * grace also form the respondent's rolling history (domain spec §5). Entries are never dropped, so
 * the aggregates can be rebuilt from histories alone.
 */
public record RespondentHistory(List<Entry> entries) {

  /**
   * One submission.
   *
   * @param rolling false when it arrived later than the grace (counts for its cycle only)
   * @param wire the submission in the registry's wire format as received or stored, or null: kept
   *     so storing the history does not encode it again (not part of equality)
   */
  public record Entry(SurveySubmission submission, boolean rolling, byte[] wire) {

    public Entry(SurveySubmission submission, boolean rolling) {
      this(submission, rolling, null);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && rolling == e.rolling && submission.equals(e.submission);
    }

    @Override
    public int hashCode() {
      return 31 * submission.hashCode() + Boolean.hashCode(rolling);
    }

    @Override
    public String toString() {
      return "Entry[submission=" + submission + ", rolling=" + rolling + "]";
    }
  }

  public RespondentHistory {
    entries = List.copyOf(entries);
  }

  /** The entry that counts for the cycle to date. */
  public Entry latest() {
    return entries.get(entries.size() - 1);
  }

  /** This history with one more submission, in order. */
  public RespondentHistory with(Entry entry) {
    List<Entry> next = new ArrayList<>(entries.size() + 1);
    boolean placed = false;
    for (Entry e : entries) {
      if (!placed && LatestWins.ORDER.compare(entry.submission(), e.submission()) < 0) {
        next.add(entry);
        placed = true;
      }
      next.add(e);
    }
    if (!placed) {
      next.add(entry);
    }
    return new RespondentHistory(next);
  }

  /** Whether the submission with this id is in the history (was applied before). */
  public boolean contains(String submissionId) {
    for (Entry e : entries) {
      if (e.submission().getSubmissionId().equals(submissionId)) {
        return true;
      }
    }
    return false;
  }

  /** A history of one submission. */
  public static RespondentHistory of(Entry entry) {
    return new RespondentHistory(List.of(entry));
  }
}

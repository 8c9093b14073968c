package dev.chorus.contracts;

/**
 * Every Chorus topic name, under a deployment's prefix (default {@code chorus.}). Topic names are
 * part of the data contract: producers and consumers take them from here.
 */
public record ChorusTopics(String prefix) {

  /** Validated submissions (SurveySubmission), keyed by school. */
  public String submissions() {
    return prefix + "submissions";
  }

  /** Dead letters (RejectedSubmission), keyed by district. */
  public String rejected() {
    return prefix + "submissions.rejected";
  }

  /** Instrument definitions (compacted), keyed district/instrument/version. */
  public String instruments() {
    return prefix + "instruments";
  }

  /** Rosters (compacted), keyed district/cycle/school. */
  public String rosters() {
    return prefix + "rosters";
  }

  /** School directories (compacted), keyed by district. */
  public String schools() {
    return prefix + "schools";
  }

  /** Registered column mappings (compacted), keyed district/mapping. */
  public String mappings() {
    return prefix + "mappings";
  }

  /** Published condition and indicator scores (compacted), keyed by cell. */
  public String scaleScores() {
    return prefix + "scores.scale";
  }

  /** Item answer distributions (compacted), keyed by cell. */
  public String itemDistributions() {
    return prefix + "scores.items";
  }

  /** Cycle-over-cycle scale changes (compacted), keyed by cell. */
  public String scaleChanges() {
    return prefix + "scores.changes";
  }

  /** Influence distributions per decision area (compacted), keyed by cell. */
  public String influence() {
    return prefix + "influence";
  }

  /** Decision patterns from the reflection block (compacted), keyed by cell. */
  public String decisionPatterns() {
    return prefix + "decision.patterns";
  }

  /** Response rates against the rosters (compacted), keyed by cell. */
  public String responseRates() {
    return prefix + "response.rates";
  }

  /** Submissions that arrived later than the rolling-window grace, keyed by school. */
  public String lateSubmissions() {
    return prefix + "submissions.late";
  }
}

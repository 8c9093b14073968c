package dev.chorus.ingest.config;

/** Names of the topics the ingest service writes, all under one prefix. */
public record Topics(String prefix) {

  /** Valid submissions, keyed by school. */
  public String submissions() {
    return prefix + "submissions";
  }

  /** Dead letters: rejected rows and submissions with their reasons. */
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
}

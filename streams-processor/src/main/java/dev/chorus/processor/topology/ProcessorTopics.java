package dev.chorus.processor.topology;

/** Topic names the processor reads and writes, under the deployment's prefix. */
public record ProcessorTopics(String prefix) {

  /** Validated submissions from the ingest service, keyed by school. */
  public String submissions() {
    return prefix + "submissions";
  }

  /** Instrument definitions (compacted). */
  public String instruments() {
    return prefix + "instruments";
  }

  /** Published condition and indicator scores, keyed by cell. */
  public String scaleScores() {
    return prefix + "scores.scale";
  }
}

package dev.chorus.processor.topology;

import dev.chorus.processor.scores.ScaleStats;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one school's scale in one window: statistics per role group (and ALL), and the
 * version of the last publication (monotonic per cell, for idempotent sinks).
 */
public record CellSet(long version, Map<String, ScaleStats> groups) {

  /** No respondents yet. */
  public static CellSet empty() {
    return new CellSet(0, new TreeMap<>());
  }
}

package dev.chorus.instrument;

import java.util.List;

/** An instrument definition failed validation; the message lists every problem found. */
public class InvalidInstrumentException extends RuntimeException {

  private final List<String> problems;

  public InvalidInstrumentException(String source, List<String> problems) {
    super("Instrument " + source + " is invalid:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the offending id. */
  public List<String> problems() {
    return problems;
  }
}

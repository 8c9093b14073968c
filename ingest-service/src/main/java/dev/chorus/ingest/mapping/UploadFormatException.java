package dev.chorus.ingest.mapping;

import java.util.List;

/** The export's header does not fit its mapping; nothing of the upload was ingested. */
public class UploadFormatException extends RuntimeException {

  private final List<String> problems;

  public UploadFormatException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

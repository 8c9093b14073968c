package dev.chorus.instrument;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads instrument definitions from JSON and validates them. */
public final class InstrumentLoader {

  private static final String DEFAULT_RESOURCE = "/instruments/collective-leadership-v1.json";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private InstrumentLoader() {}

  /** The built-in {@code collective-leadership} v1 instrument. */
  public static Instrument defaultInstrument() {
    try (InputStream in = InstrumentLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + DEFAULT_RESOURCE);
      }
      return load(in, DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses and validates an instrument.
   *
   * @param source names the input in error messages (a file name, a request)
   * @throws InvalidInstrumentException listing every problem, including JSON syntax errors
   */
  public static Instrument load(InputStream json, String source) {
    Instrument instrument;
    try {
      instrument = JSON.readValue(json, Instrument.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String at =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new InvalidInstrumentException(source, List.of(e.getOriginalMessage() + at));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read instrument " + source, e);
    }
    if (instrument == null) {
      throw new InvalidInstrumentException(source, List.of("document is empty"));
    }
    instrument = withEmptyListsForMissing(instrument);
    List<String> problems = InstrumentValidator.problems(instrument);
    if (!problems.isEmpty()) {
      throw new InvalidInstrumentException(source, problems);
    }
    return instrument;
  }

  /** Serializes an instrument to the JSON form {@link #load} reads. */
  public static byte[] toJson(Instrument instrument) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(instrument);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instrument withEmptyListsForMissing(Instrument i) {
    return new Instrument(
        i.id(),
        i.version(),
        i.title(),
        i.allowsFreeText(),
        i.roles() == null ? List.of() : i.roles(),
        i.answerScales() == null
            ? List.of()
            : i.answerScales().stream().map(InstrumentLoader::labels).toList(),
        i.scales() == null ? List.of() : i.scales(),
        i.items() == null ? List.of() : i.items(),
        i.decisionAreas() == null ? List.of() : i.decisionAreas(),
        i.groups() == null ? List.of() : i.groups(),
        i.influenceAnswerScale());
  }

  private static Instrument.AnswerScale labels(Instrument.AnswerScale s) {
    return s.labels() != null
        ? s
        : new Instrument.AnswerScale(
            s.id(), s.min(), s.max(), s.favorableMin(), java.util.Map.of());
  }
}

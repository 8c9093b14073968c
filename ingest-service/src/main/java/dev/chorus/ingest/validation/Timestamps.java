package dev.chorus.ingest.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the timestamps survey tools export: ISO-8601 with or without offset, Google Forms' {@code
 * 11/3/2026 9:14:05} and Qualtrics' {@code 2026-11-03 09:14:05}. Local times are read in the
 * district's zone.
 */
public final class Timestamps {

  private static final List<DateTimeFormatter> LOCAL_FORMATS =
      List.of(
          DateTimeFormatter.ISO_LOCAL_DATE_TIME,
          DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]", Locale.ROOT),
          DateTimeFormatter.ofPattern("M/d/yyyy H:mm[:ss]", Locale.ROOT),
          DateTimeFormatter.ofPattern("M/d/yyyy h:mm[:ss] a", Locale.ROOT));

  private Timestamps() {}

  /** The instant {@code text} denotes, or empty if no supported format matches. */
  public static Optional<Instant> parse(String text, ZoneId zone) {
    String value = text.trim();
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      // not an offset timestamp; try local forms
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      // try local forms
    }
    for (DateTimeFormatter format : LOCAL_FORMATS) {
      try {
        return Optional.of(
            LocalDateTime.parse(value.toUpperCase(Locale.ROOT), format).atZone(zone).toInstant());
      } catch (DateTimeParseException e) {
        // next format
      }
    }
    try {
      return Optional.of(LocalDate.parse(value).atStartOfDay(zone).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

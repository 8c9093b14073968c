package dev.chorus.ingest.upload;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.chorus.ingest.mapping.ColumnMapping;
import dev.chorus.ingest.mapping.ColumnPlan;
import dev.chorus.ingest.mapping.UploadFormatException;
import dev.chorus.ingest.validation.SubmissionDraft;
import dev.chorus.instrument.Instrument;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a CSV export as a stream of rows, each either a draft submission or a malformed row with
 * the reason. RFC 4180 (quoted commas and newlines), UTF-8 with or without BOM, CRLF or LF. Memory
 * stays bounded whatever the upload size: one record at a time, fields capped in size. Never throws
 * for bad content: every row read is returned, so every row is accounted for.
 */
public final class CsvUploadReader implements Closeable {

  /** Largest single field accepted; a longer one (e.g. an unterminated quote) ends the parse. */
  public static final int MAX_FIELD_CHARS = 1 << 20;

  /** One data row of the export. */
  public sealed interface Row {
    /** 1-based data row number (header rows not counted). */
    long number();

    /** 1-based line of the file where the row starts. */
    long line();

    /** The row's fields as exported. */
    List<String> fields();

    /** The export's column headers. */
    List<String> headers();

    /** Column header -> value as exported; built on demand (only rejected rows need it). */
    default Map<String, String> raw() {
      Map<String, String> raw = new LinkedHashMap<>();
      List<String> fields = fields();
      List<String> headers = headers();
      for (int i = 0; i < fields.size(); i++) {
        String header = i < headers.size() ? headers.get(i) : "";
        raw.put(header.isEmpty() ? "column " + (i + 1) : header, fields.get(i));
      }
      return raw;
    }
  }

  /** A row that could be read into a draft (which may still be invalid). */
  public record DraftRow(
      long number, long line, SubmissionDraft draft, List<String> fields, List<String> headers)
      implements Row {}

  /** A row that could not be read at all. */
  public record MalformedRow(
      long number,
      long line,
      String column,
      String message,
      List<String> fields,
      List<String> headers)
      implements Row {}

  /** What every row of the upload shares. */
  public record Context(String districtId, String cycle, Instrument instrument) {}

  private final CsvReader<CsvRecord> csv;
  private final CloseableIterator<CsvRecord> records;
  private final ColumnMapping mapping;
  private final ColumnPlan plan;
  private final List<String> headers;
  private final Context context;
  private final Map<String, String> locations;
  private final MessageDigest sha = sha256();
  private final int itemColumns;
  private long rowNumber;
  private boolean ended;
  private RuntimeException pendingFailure;
  private boolean endedEarly;

  private CsvUploadReader(
      CsvReader<CsvRecord> csv,
      CloseableIterator<CsvRecord> records,
      ColumnMapping mapping,
      ColumnPlan plan,
      List<String> headers,
      Context context) {
    this.csv = csv;
    this.records = records;
    this.mapping = mapping;
    this.plan = plan;
    this.headers = headers;
    this.context = context;
    this.locations = plan.locations();
    this.itemColumns =
        (int) plan.columns().stream().filter(c -> c.kind() == ColumnPlan.Kind.ITEM).count();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the header rows and resolves the mapping.
   *
   * @throws UploadFormatException when the upload is empty, not CSV, or lacks required columns
   */
  public static CsvUploadReader open(InputStream in, ColumnMapping mapping, Context context) {
    CsvReader<CsvRecord> csv =
        CsvReader.builder()
            .skipEmptyLines(true)
            .allowExtraFields(true)
            .allowMissingFields(true)
            .maxBufferSize(MAX_FIELD_CHARS)
            .ofCsvRecord(utf8(in));
    CloseableIterator<CsvRecord> records = csv.iterator();
    List<String> names = null;
    try {
      for (int row = 1; row <= mapping.headerRows(); row++) {
        if (!records.hasNext()) {
          throw new UploadFormatException(
              List.of(
                  row == 1
                      ? "the upload is empty: expected a CSV export with a header row"
                      : "the export ends inside its "
                          + mapping.headerRows()
                          + " header rows (mapping '"
                          + mapping.id()
                          + "')"));
        }
        CsvRecord header = records.next();
        if (row == mapping.namesRow()) {
          names = header.getFields();
        }
      }
    } catch (CsvParseException | UncheckedIOException e) {
      throw new UploadFormatException(
          List.of("the header cannot be read as CSV: " + e.getMessage()));
    }
    if (names.stream().anyMatch(n -> n.indexOf('\uFFFD') >= 0)) {
      throw new UploadFormatException(
          List.of("the header is not valid UTF-8: save the export as UTF-8 CSV"));
    }
    ColumnPlan plan = ColumnPlan.resolve(names, mapping, context.instrument());
    return new CsvUploadReader(csv, records, mapping, plan, List.copyOf(names), context);
  }

  /** The resolved column plan (for the receipt's ignored columns). */
  public ColumnPlan plan() {
    return plan;
  }

  /** Whether reading stopped before the end of the upload (unreadable CSV or size limit). */
  public boolean endedEarly() {
    return endedEarly;
  }

  /** Whether another row follows. */
  public boolean hasNext() {
    if (ended) {
      return false;
    }
    if (pendingFailure != null) {
      return true;
    }
    try {
      return records.hasNext();
    } catch (CsvParseException | UncheckedIOException e) {
      pendingFailure = e;
      return true;
    }
  }

  /** The next row; a parse failure becomes a final malformed row covering the rest of the file. */
  public Row next() {
    if (ended) {
      throw new NoSuchElementException();
    }
    rowNumber++;
    CsvRecord record;
    try {
      if (pendingFailure != null) {
        throw pendingFailure;
      }
      record = records.next();
    } catch (CsvParseException | UncheckedIOException e) {
      ended = true;
      endedEarly = true;
      return new MalformedRow(
          rowNumber,
          -1,
          null,
          "the rest of the export cannot be read as CSV ("
              + e.getMessage()
              + "); often an unterminated quote. Rows before this one were processed.",
          List.of(),
          headers);
    }
    List<String> fields = record.getFields();
    if (record.getFieldCount() != headers.size()) {
      return new MalformedRow(
          rowNumber,
          record.getStartingLineNumber(),
          null,
          "row has " + record.getFieldCount() + " fields but the header has " + headers.size(),
          fields,
          headers);
    }
    for (int i = 0; i < record.getFieldCount(); i++) {
      if (record.getField(i).indexOf('\uFFFD') >= 0) {
        return new MalformedRow(
            rowNumber,
            record.getStartingLineNumber(),
            headers.get(i),
            "value is not valid UTF-8: save the export as UTF-8 CSV",
            fields,
            headers);
      }
    }
    return new DraftRow(rowNumber, record.getStartingLineNumber(), draft(record), fields, headers);
  }

  private SubmissionDraft draft(CsvRecord record) {
    String school = null;
    String respondent = null;
    String role = null;
    String timestamp = null;
    String submissionId = null;
    List<String> cohorts = List.of();
    // Insertion-ordered: the same row always yields the same record, field for field.
    Map<String, String> answers = new LinkedHashMap<>(Math.max(16, itemColumns * 4 / 3 + 1));
    Map<String, Map<String, String>> influence = new LinkedHashMap<>();
    Map<String, List<String>> reflection = new HashMap<>();
    Map<String, String> freeText = new HashMap<>();
    for (ColumnPlan.Column column : plan.columns()) {
      String value = record.getField(column.index());
      switch (column.kind()) {
        case SCHOOL -> school = value;
        case RESPONDENT -> respondent = value;
        case ROLE -> role = value;
        case TIMESTAMP -> timestamp = value;
        case COHORT -> cohorts = split(value);
        case SUBMISSION_ID -> submissionId = value.isBlank() ? null : value.trim();
        case ITEM, UNKNOWN_ITEM -> {
          if (!value.isBlank()) {
            answers.put(column.key(), value);
          }
        }
        case INFLUENCE -> {
          if (!value.isBlank()) {
            influence
                .computeIfAbsent(column.key(), k -> new HashMap<>())
                .put(column.subKey(), value);
          }
        }
        case REFLECTION -> {
          List<String> groups = split(value);
          if (!groups.isEmpty()) {
            reflection.put(column.key(), groups);
          }
        }
        case FREE_TEXT -> {
          if (!value.isBlank()) {
            freeText.put(column.key(), value);
          }
        }
        case IGNORED -> {
          // never ingested
        }
      }
    }
    if (submissionId == null) {
      submissionId = contentId(record);
    }
    return new SubmissionDraft(
        submissionId,
        context.districtId(),
        school,
        context.cycle(),
        context.instrument().id(),
        context.instrument().version(),
        respondent,
        role,
        cohorts,
        timestamp,
        answers,
        influence,
        reflection,
        freeText,
        locations);
  }

  /**
   * A deterministic id from the row's content: re-uploading the same export yields the same ids.
   */
  private String contentId(CsvRecord record) {
    // One digest per reader (a reader serves one request thread); digest() resets it.
    update(sha, context.districtId());
    update(sha, context.cycle());
    update(sha, context.instrument().id() + "@" + context.instrument().version());
    for (int i = 0; i < record.getFieldCount(); i++) {
      update(sha, record.getField(i));
    }
    return "csv-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
  }

  private static void update(MessageDigest sha, String value) {
    sha.update(value.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
  }

  private List<String> split(String value) {
    if (value.isBlank()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (mapping.listSeparators().indexOf(c) >= 0) {
        add(parts, current);
      } else {
        current.append(c);
      }
    }
    add(parts, current);
    return parts;
  }

  private static void add(List<String> parts, StringBuilder current) {
    String part = current.toString().trim();
    if (!part.isEmpty()) {
      parts.add(part);
    }
    current.setLength(0);
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }

  /** UTF-8 with invalid bytes replaced (then rejected per row), BOM stripped. */
  private static Reader utf8(InputStream in) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    PushbackReader reader =
        new PushbackReader(new BufferedReader(new InputStreamReader(in, decoder), 1 << 16), 1);
    try {
      int first = reader.read();
      if (first != -1 && first != '\uFEFF') {
        reader.unread(first);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the upload", e);
    }
    return reader;
  }
}

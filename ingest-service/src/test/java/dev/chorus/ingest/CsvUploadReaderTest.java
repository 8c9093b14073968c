package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.ingest.mapping.MappingPresets;
import dev.chorus.ingest.mapping.UploadFormatException;
import dev.chorus.ingest.upload.CsvUploadReader;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CsvUploadReaderTest {

  private static final Instrument INSTRUMENT = InstrumentLoader.defaultInstrument();
  private static final String HEADER =
      "school_id,role,submitted_at,vision_strategy_1,respondent_id\n";

  private static List<CsvUploadReader.Row> read(byte[] bytes) throws Exception {
    List<CsvUploadReader.Row> rows = new ArrayList<>();
    try (CsvUploadReader reader =
        CsvUploadReader.open(
            new ByteArrayInputStream(bytes),
            MappingPresets.GENERIC,
            new CsvUploadReader.Context("d", "c", INSTRUMENT))) {
      while (reader.hasNext()) {
        rows.add(reader.next());
      }
    }
    return rows;
  }

  private static List<CsvUploadReader.Row> read(String csv) throws Exception {
    return read(csv.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void quotedNewlinesAndCommasStayInOneField() throws Exception {
    List<CsvUploadReader.Row> rows =
        read(HEADER + "s1,Teacher,2026-10-01,\"4\",\"a, b\nc\"\r\ns2,Teacher,2026-10-01,5,x\r\n");
    assertThat(rows).hasSize(2);
    CsvUploadReader.DraftRow first = (CsvUploadReader.DraftRow) rows.get(0);
    assertThat(first.draft().respondentId()).isEqualTo("a, b\nc");
    assertThat(first.line()).isEqualTo(2);
    assertThat(rows.get(1).line()).isEqualTo(4);
    assertThat(rows.get(1).number()).isEqualTo(2);
  }

  @Test
  void byteOrderMarkIsIgnored() throws Exception {
    List<CsvUploadReader.Row> rows = read("\uFEFF" + HEADER + "s1,Teacher,2026-10-01,4,x\n");
    assertThat(((CsvUploadReader.DraftRow) rows.get(0)).draft().schoolId()).isEqualTo("s1");
  }

  @Test
  void wrongFieldCountIsAMalformedRowNotAnException() throws Exception {
    List<CsvUploadReader.Row> rows = read(HEADER + "s1,Teacher\ns1,Teacher,2026-10-01,4,x\n");
    assertThat(rows.get(0))
        .isInstanceOfSatisfying(
            CsvUploadReader.MalformedRow.class,
            m -> assertThat(m.message()).contains("2 fields but the header has 5"));
    assertThat(rows.get(1)).isInstanceOf(CsvUploadReader.DraftRow.class);
  }

  @Test
  void invalidUtf8IsReportedPerRow() throws Exception {
    byte[] head = (HEADER + "s1,Teacher,2026-10-01,4,").getBytes(StandardCharsets.UTF_8);
    byte[] bad = {(byte) 0xC3, (byte) 0x28, '\n'};
    byte[] bytes = new byte[head.length + bad.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    System.arraycopy(bad, 0, bytes, head.length, bad.length);
    List<CsvUploadReader.Row> rows = read(bytes);
    assertThat(rows)
        .singleElement()
        .isInstanceOfSatisfying(
            CsvUploadReader.MalformedRow.class,
            m -> assertThat(m.message()).contains("not valid UTF-8"));
  }

  @Test
  void unterminatedQuoteEndsTheReadWithOneAccountedRow() throws Exception {
    String huge = "x".repeat(CsvUploadReader.MAX_FIELD_CHARS + 10);
    List<CsvUploadReader.Row> rows =
        read(HEADER + "s1,Teacher,2026-10-01,4,ok\ns1,Teacher,2026-10-01,4,\"" + huge + "\n");
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1))
        .isInstanceOfSatisfying(
            CsvUploadReader.MalformedRow.class,
            m -> assertThat(m.message()).contains("rest of the export cannot be read"));
  }

  @Test
  void contentIdsAreDeterministicAndDistinct() throws Exception {
    String csv = HEADER + "s1,Teacher,2026-10-01,4,a\ns1,Teacher,2026-10-01,4,b\n";
    List<String> first =
        read(csv).stream().map(r -> ((CsvUploadReader.DraftRow) r).draft().submissionId()).toList();
    List<String> second =
        read(csv).stream().map(r -> ((CsvUploadReader.DraftRow) r).draft().submissionId()).toList();
    assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
  }

  @Test
  void emptyUploadIsAFormatError() {
    assertThatThrownBy(() -> read(""))
        .isInstanceOf(UploadFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void repeatedHeaderIsAFormatError() {
    assertThatThrownBy(() -> read("school_id,role,submitted_at,role\n"))
        .isInstanceOf(UploadFormatException.class)
        .hasMessageContaining("'role' appears twice");
  }

  /** Any bytes after a valid header: never an exception, and every data row is returned. */
  @Property(tries = 300)
  void arbitraryBodiesNeverEscapeAsExceptions(@ForAll("bodies") byte[] body) throws Exception {
    byte[] header = HEADER.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[header.length + body.length];
    System.arraycopy(header, 0, bytes, 0, header.length);
    System.arraycopy(body, 0, bytes, header.length, body.length);
    List<CsvUploadReader.Row> rows = read(bytes);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).number()).isEqualTo(i + 1);
    }
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
    Arbitrary<byte[]> csvish =
        Arbitraries.strings()
            .withChars("\"\n\r,;=+-@ abc12345\t\u00e9\uFEFF")
            .ofMaxLength(2_000)
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> formulas =
        Arbitraries.of("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "-2")
            .list()
            .ofMaxSize(20)
            .map(
                cells ->
                    ("s1,Teacher,2026-10-01," + String.join(",", cells) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, csvish, formulas);
  }
}

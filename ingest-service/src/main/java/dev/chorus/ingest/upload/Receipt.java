package dev.chorus.ingest.upload;

import java.time.Instant;
import java.util.List;

/**
 * What an upload did, exactly: rows read = accepted + rejected, always. Accepted means Kafka
 * acknowledged the record; every other row is listed with its reasons (the first N inline, all at
 * {@code GET /v1/uploads/{id}/rejections}).
 *
 * @param status {@code complete}; {@code partial} when Kafka failed and some rows were not
 *     acknowledged; {@code truncated} when the upload exceeded the size limit or could not be read
 *     to its end
 */
public record Receipt(
    String uploadId,
    String districtId,
    String cycle,
    String instrumentId,
    int instrumentVersion,
    String mappingId,
    String status,
    long rowsRead,
    long accepted,
    long rejected,
    long bytesRead,
    List<String> ignoredColumns,
    List<RejectedRow> rejections,
    long rejectionsTotal,
    Instant startedAt,
    Instant finishedAt) {

  /** A row that was not accepted. */
  public record RejectedRow(long row, Long line, String submissionId, List<Reason> reasons) {}

  /** One reason: a code from the dead-letter contract, the column, a message saying what to fix. */
  public record Reason(String code, String column, String message) {}
}

package dev.chorus.ingest.upload;

import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.ingest.config.DistrictSettings;
import dev.chorus.ingest.intake.IntakeSession;
import dev.chorus.ingest.intake.Sanitizer;
import dev.chorus.ingest.kafka.Publisher;
import dev.chorus.ingest.mapping.ColumnMapping;
import dev.chorus.ingest.mapping.ColumnPlan;
import dev.chorus.ingest.validation.Pseudonymizer;
import dev.chorus.ingest.validation.Rejection;
import dev.chorus.ingest.validation.SubmissionValidator;
import dev.chorus.instrument.Instrument;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one CSV upload as a stream: read a row, map it, validate it, publish it or reject it,
 * and write the receipt. Memory does not grow with the upload.
 */
public final class UploadProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(UploadProcessor.class);
  private static final long PROGRESS_EVERY = 100_000;

  /** One upload's parameters. */
  public record UploadRequest(
      String uploadId,
      DistrictSettings district,
      String cycle,
      Instrument instrument,
      ColumnMapping mapping,
      Set<String> schools,
      long maxBytes) {}

  /** A row with its validation outcome (null for malformed rows). */
  private record Checked(
      CsvUploadReader.Row row, SubmissionSource source, SubmissionValidator.Outcome outcome) {}

  private final Publisher publisher;
  private final ChorusTopics topics;
  private final ReceiptStore receipts;
  private final MeterRegistry metrics;
  private final int inlineRejections;

  public UploadProcessor(
      Publisher publisher,
      ChorusTopics topics,
      ReceiptStore receipts,
      MeterRegistry metrics,
      int inlineRejections) {
    this.publisher = publisher;
    this.topics = topics;
    this.receipts = receipts;
    this.metrics = metrics;
    this.inlineRejections = inlineRejections;
  }

  /**
   * Ingests the upload and returns its stored receipt.
   *
   * @throws dev.chorus.ingest.mapping.UploadFormatException when the header does not fit the
   *     mapping
   */
  public Receipt process(UploadRequest request, InputStream body) throws IOException {
    Instant started = Instant.now();
    LimitedInputStream in = new LimitedInputStream(body, request.maxBytes());
    CsvUploadReader.Context context =
        new CsvUploadReader.Context(request.district().id(), request.cycle(), request.instrument());
    try (CsvUploadReader reader = CsvUploadReader.open(in, request.mapping(), context);
        ReceiptStore.RejectionLog log = receipts.open(request.uploadId(), inlineRejections)) {
      IntakeSession session =
          new IntakeSession(
              publisher,
              topics,
              request.district().id(),
              request.uploadId(),
              new IntakeSession.Listener() {
                @Override
                public void accepted(long row, String submissionId) {}

                @Override
                public void rejected(Receipt.RejectedRow rejection) {
                  log.add(rejection);
                }
              },
              metrics);
      SubmissionValidator validator =
          new SubmissionValidator(
              request.instrument(),
              request.schools(),
              new Pseudonymizer(request.district().secret()),
              request.district().timezone());
      ColumnPlan plan = reader.plan();
      String respondentColumn = request.mapping().respondentColumn();
      Set<String> dropped = new HashSet<>(plan.ignoredColumns());
      plan.columns().stream()
          .filter(c -> c.kind() == ColumnPlan.Kind.FREE_TEXT)
          .forEach(c -> dropped.add(c.header()));
      Instant receivedAt = Instant.now();
      // Two threads, balanced: the request thread parses and validates; one worker serializes,
      // sends and records outcomes, in row order.
      try (RowPipeline<Checked> pipeline =
          new RowPipeline<>(
              "upload-" + request.uploadId(),
              checked -> {
                CsvUploadReader.Row row = checked.row();
                Long line = row.line() < 0 ? null : row.line();
                if (checked.outcome() instanceof SubmissionValidator.Outcome.Valid valid) {
                  session.submit(row.number(), line, valid.submission());
                  return;
                }
                String submissionId = null;
                String school = null;
                List<Rejection> reasons;
                String respondentKey = null;
                if (row instanceof CsvUploadReader.MalformedRow malformed) {
                  reasons =
                      List.of(
                          new Rejection(
                              ReasonCode.MALFORMED, malformed.column(), malformed.message()));
                } else {
                  var invalid = (SubmissionValidator.Outcome.Invalid) checked.outcome();
                  var draft = ((CsvUploadReader.DraftRow) row).draft();
                  submissionId = draft.submissionId();
                  school = draft.schoolId();
                  reasons = invalid.reasons();
                  respondentKey = invalid.respondentKey();
                }
                session.reject(
                    row.number(),
                    line,
                    submissionId,
                    reasons,
                    checked.source(),
                    new IntakeSession.DeadLetterContext(
                        school,
                        request.cycle(),
                        request.instrument().id(),
                        request.instrument().version()),
                    Sanitizer.sanitize(row.raw(), respondentColumn, respondentKey, dropped));
              })) {
        while (reader.hasNext()) {
          CsvUploadReader.Row row = reader.next();
          SubmissionSource source =
              new SubmissionSource(
                  SourceChannel.UPLOAD, request.uploadId(), row.number(), request.mapping().id());
          SubmissionValidator.Outcome outcome =
              row instanceof CsvUploadReader.DraftRow draftRow
                  ? validator.validate(draftRow.draft(), receivedAt, source)
                  : null;
          pipeline.accept(new Checked(row, source, outcome));
          if (row.number() % PROGRESS_EVERY == 0) {
            LOG.info(
                "Upload {} ({}): {} rows read, {} MB",
                request.uploadId(),
                request.district().id(),
                row.number(),
                in.count() / (1 << 20));
          }
        }
        pipeline.finish();
      }
      session.finish();
      log.close();
      String status =
          in.exceeded() || reader.endedEarly()
              ? "truncated"
              : session.kafkaFailure() != null ? "partial" : "complete";
      Receipt receipt =
          new Receipt(
              request.uploadId(),
              request.district().id(),
              request.cycle(),
              request.instrument().id(),
              request.instrument().version(),
              request.mapping().id(),
              status,
              session.rows(),
              session.accepted(),
              session.rejected(),
              in.count(),
              plan.ignoredColumns(),
              log.inline(),
              log.total(),
              started,
              Instant.now());
      receipts.save(receipt);
      metrics.counter("chorus_ingest_uploads", "status", status).increment();
      LOG.info(
          "Upload {} ({}, {}, mapping {}): {} rows, {} accepted, {} rejected, status {}",
          receipt.uploadId(),
          receipt.districtId(),
          receipt.cycle(),
          receipt.mappingId(),
          receipt.rowsRead(),
          receipt.accepted(),
          receipt.rejected(),
          status);
      return receipt;
    }
  }
}

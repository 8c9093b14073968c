package dev.chorus.ingest.intake;

import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.RejectedSubmission;
import dev.chorus.avro.RejectionReason;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.ingest.kafka.Publisher;
import dev.chorus.ingest.upload.Receipt;
import dev.chorus.ingest.validation.Rejection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounting of one request (an upload or a batch of JSON submissions): valid submissions go to
 * the submissions topic and count as accepted only once Kafka acknowledges them; every other row is
 * rejected with its reasons and sent to the dead-letter topic. After {@link #finish()}, rows =
 * accepted + rejected exactly. Once Kafka fails, later rows are not sent and are reported as not
 * accepted, so a receipt never over-reports.
 */
public final class IntakeSession {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeSession.class);

  /** Where the outcome of each row goes (a receipt's rejection log, a JSON response). */
  public interface Listener {
    /** Kafka acknowledged row {@code row}. */
    void accepted(long row, String submissionId);

    /** Row {@code row} was not accepted. */
    void rejected(Receipt.RejectedRow rejection);
  }

  private final Publisher publisher;
  private final ChorusTopics topics;
  private final String districtId;
  private final String requestId;
  private final Listener listener;
  private final MeterRegistry metrics;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile String kafkaFailure;
  private final io.micrometer.core.instrument.Counter acceptedRows;

  public IntakeSession(
      Publisher publisher,
      ChorusTopics topics,
      String districtId,
      String requestId,
      Listener listener,
      MeterRegistry metrics) {
    this.publisher = publisher;
    this.topics = topics;
    this.districtId = districtId;
    this.requestId = requestId;
    this.listener = listener;
    this.metrics = metrics;
    this.acceptedRows =
        metrics.counter("chorus_ingest_rows", "outcome", "accepted", "reason", "NONE");
  }

  /** Sends a valid submission; it counts as accepted when Kafka acknowledges it. */
  public void submit(long row, Long line, SurveySubmission submission) {
    rows.incrementAndGet();
    // The callback keeps only the id: an acknowledgement can be far behind, and holding every
    // in-flight submission would fill the heap on large uploads.
    String submissionId = submission.getSubmissionId();
    if (kafkaFailure != null) {
      notAccepted(row, line, submissionId, "not sent: " + kafkaFailure);
      return;
    }
    try {
      publisher.sendSubmission(
          topics.submissions(),
          submission,
          (metadata, error) -> {
            if (error == null) {
              accepted.incrementAndGet();
              acceptedRows.increment();
              listener.accepted(row, submissionId);
            } else {
              markKafkaFailed(error);
              notAccepted(
                  row, line, submissionId, "Kafka did not acknowledge it: " + error.getMessage());
            }
          });
    } catch (KafkaException e) {
      markKafkaFailed(e);
      notAccepted(row, line, submissionId, "Kafka did not accept it: " + e.getMessage());
    }
  }

  /**
   * Rejects a row and writes its dead letter.
   *
   * @param rawContent the row as received, already sanitized
   */
  public void reject(
      long row,
      Long line,
      String submissionId,
      List<Rejection> reasons,
      SubmissionSource source,
      DeadLetterContext context,
      Map<String, String> rawContent) {
    rows.incrementAndGet();
    record(row, line, submissionId, reasons);
    if (kafkaFailure != null) {
      return;
    }
    RejectedSubmission deadLetter =
        RejectedSubmission.newBuilder()
            .setRejectionId(requestId + ":" + row)
            .setDistrictId(districtId)
            .setSubmissionId(submissionId)
            .setSchoolId(context.schoolId())
            .setCycle(context.cycle())
            .setInstrumentId(context.instrumentId())
            .setInstrumentVersion(context.instrumentVersion())
            .setSource(source)
            .setReceivedAt(Instant.now())
            .setReasons(
                reasons.stream()
                    .map(r -> new RejectionReason(r.code(), r.field(), r.message()))
                    .toList())
            .setRawContent(rawContent)
            .build();
    try {
      publisher.send(
          topics.rejected(),
          districtId,
          deadLetter,
          (metadata, error) -> {
            if (error != null) {
              markKafkaFailed(error);
              metrics.counter("chorus_ingest_dead_letter_failures").increment();
              LOG.warn(
                  "Dead letter {} not written: {}",
                  deadLetter.getRejectionId(),
                  error.getMessage());
            }
          });
    } catch (KafkaException e) {
      markKafkaFailed(e);
      metrics.counter("chorus_ingest_dead_letter_failures").increment();
    }
  }

  /** What the dead letter records about the row besides its reasons. */
  public record DeadLetterContext(
      String schoolId, String cycle, String instrumentId, Integer instrumentVersion) {}

  /** Waits for every acknowledgement; afterwards the counts are final. */
  public void finish() {
    publisher.flush();
  }

  public long rows() {
    return rows.get();
  }

  public long accepted() {
    return accepted.get();
  }

  public long rejected() {
    return rejected.get();
  }

  /** Why Kafka failed during this session, or null. */
  public String kafkaFailure() {
    return kafkaFailure;
  }

  private void markKafkaFailed(Exception error) {
    if (kafkaFailure == null) {
      kafkaFailure =
          "Kafka unavailable ("
              + error.getClass().getSimpleName()
              + ": "
              + error.getMessage()
              + ")";
      LOG.warn("Request {} for district {}: {}", requestId, districtId, kafkaFailure);
    }
  }

  private void notAccepted(long row, Long line, String submissionId, String message) {
    record(
        row,
        line,
        submissionId,
        List.of(new Rejection(ReasonCode.NOT_ACKNOWLEDGED, null, message)));
  }

  private void record(long row, Long line, String submissionId, List<Rejection> reasons) {
    rejected.incrementAndGet();
    for (Rejection reason : reasons) {
      metrics
          .counter("chorus_ingest_rows", "outcome", "rejected", "reason", reason.code().name())
          .increment();
    }
    listener.rejected(
        new Receipt.RejectedRow(
            row,
            line,
            submissionId,
            reasons.stream()
                .map(r -> new Receipt.Reason(r.code().name(), r.field(), r.message()))
                .toList()));
  }
}

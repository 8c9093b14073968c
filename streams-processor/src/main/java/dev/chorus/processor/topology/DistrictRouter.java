package dev.chorus.processor.topology;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.kafka.DistrictPartitions;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys a submission by its district and tells whether it already sits on the partition the
 * by-district repartition topic would send it to. Such a submission can go straight to the metrics
 * processor of its task: task p reads partition p of the submissions topic and of the repartition
 * topic, so it is where the repartition hop would have delivered it. Producers that partition
 * submissions by district ({@link DistrictPartitions}) make that every submission; the rest take
 * the hop (as bytes: only their district is decoded here) and are counted.
 */
final class DistrictRouter implements Processor<String, byte[], String, DistrictRouter.Located> {

  /**
   * A submission's bytes as received (the registry's wire format) and the decoded submission; null
   * here for one that takes the hop (it is decoded after it). The metrics processor stores the
   * bytes in the respondent's history as they are, without encoding the submission again.
   */
  record Located(byte[] bytes, SurveySubmission submission) {}

  private final DistrictOf districtOf;
  private final Deserializer<SurveySubmission> submissions;
  private final String topic;
  private final int partitions;
  private final ProcessorMetrics metrics;
  private ProcessorContext<String, Located> context;
  // Whether the previous submission was on its district's partition: the next one probably is too.
  private boolean lastWasHome = true;

  /**
   * @param partitions the partition count of the by-district repartition topic
   */
  DistrictRouter(
      DistrictOf districtOf,
      Deserializer<SurveySubmission> submissions,
      String topic,
      int partitions,
      ProcessorMetrics metrics) {
    this.districtOf = districtOf;
    this.submissions = submissions;
    this.topic = topic;
    this.partitions = partitions;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Located> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
    if (lastWasHome) {
      // Producers that partition by district: decode everything at once.
      SurveySubmission s = submissions.deserialize(topic, record.value());
      if (partition == DistrictPartitions.of(s.getDistrictId(), partitions)) {
        context.forward(
            record.withKey(s.getDistrictId()).withValue(new Located(record.value(), s)));
      } else {
        lastWasHome = false;
        forwardElsewhere(record, s.getDistrictId());
      }
      return;
    }
    // Other producers: decode only the district, and the rest only for a submission at home.
    String district = districtOf.apply(record.value());
    if (partition == DistrictPartitions.of(district, partitions)) {
      lastWasHome = true;
      SurveySubmission s = submissions.deserialize(topic, record.value());
      context.forward(record.withKey(district).withValue(new Located(record.value(), s)));
    } else {
      forwardElsewhere(record, district);
    }
  }

  private void forwardElsewhere(Record<String, byte[]> record, String district) {
    metrics.rerouted.increment();
    context.forward(record.withKey(district).withValue(new Located(record.value(), null)));
  }
}

package dev.chorus.processor.engine;

import dev.chorus.avro.SurveySubmission;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link RespondentHistory}: entry count, then per entry a rolling flag and the submission
 * in the registry's wire format (so stored state survives schema evolution like topic data does).
 * An entry's bytes as received or as read back are stored as they are, not encoded again.
 */
public final class RespondentHistorySerde implements Serde<RespondentHistory> {

  private final Serde<SurveySubmission> submissions;
  private final String subjectTopic;

  /**
   * @param subjectTopic the topic whose value subject the submissions are registered under
   */
  public RespondentHistorySerde(Serde<SurveySubmission> submissions, String subjectTopic) {
    this.submissions = submissions;
    this.subjectTopic = subjectTopic;
  }

  @Override
  public Serializer<RespondentHistory> serializer() {
    return (topic, history) -> {
      if (history == null) {
        return null;
      }
      List<byte[]> encoded = new ArrayList<>(history.entries().size());
      int size = 4;
      for (RespondentHistory.Entry e : history.entries()) {
        byte[] bytes =
            e.wire() != null
                ? e.wire()
                : submissions.serializer().serialize(subjectTopic, e.submission());
        encoded.add(bytes);
        size += 1 + 4 + bytes.length;
      }
      ByteBuffer out = ByteBuffer.allocate(size);
      out.putInt(encoded.size());
      for (int i = 0; i < encoded.size(); i++) {
        out.put((byte) (history.entries().get(i).rolling() ? 1 : 0));
        out.putInt(encoded.get(i).length);
        out.put(encoded.get(i));
      }
      return out.array();
    };
  }

  @Override
  public Deserializer<RespondentHistory> deserializer() {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      ByteBuffer in = ByteBuffer.wrap(data);
      int count = in.getInt();
      List<RespondentHistory.Entry> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        boolean rolling = in.get() == 1;
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        entries.add(
            new RespondentHistory.Entry(
                submissions.deserializer().deserialize(subjectTopic, bytes), rolling, bytes));
      }
      return new RespondentHistory(entries);
    };
  }
}

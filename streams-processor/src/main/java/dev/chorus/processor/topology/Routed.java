package dev.chorus.processor.topology;

import dev.chorus.serde.AvroSerdeConfig;
import dev.chorus.serde.AvroSerializer;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One published record and the topic it goes to; a null value is a tombstone. Lets one named sink
 * serve every output topic.
 */
public record Routed(String topic, SpecificRecordBase value) {

  /** Sends each record to its own topic. */
  static final class ByTopic
      implements org.apache.kafka.streams.processor.TopicNameExtractor<String, Routed> {
    @Override
    public String extract(
        String key, Routed routed, org.apache.kafka.streams.processor.RecordContext context) {
      return routed.topic();
    }

    @Override
    public String toString() {
      return "Routed.ByTopic";
    }
  }

  /** Writes the value in the registry's wire format under the target topic's subject. */
  static Serde<Routed> serde(Map<String, ?> serdeConfig) {
    AvroSerializer<SpecificRecordBase> avro =
        new AvroSerializer<>(AvroSerdeConfig.fromProperties(serdeConfig, false), false);
    Serializer<Routed> serializer =
        (topic, routed) -> routed.value() == null ? null : avro.serialize(topic, routed.value());
    Deserializer<Routed> deserializer =
        (topic, data) -> {
          throw new UnsupportedOperationException("routed records are only written");
        };
    return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
  }
}

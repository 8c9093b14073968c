package dev.chorus.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka (Streams) {@link Serde} for Avro records in the Confluent wire format. */
public final class AvroSerde<T extends org.apache.avro.generic.IndexedRecord> implements Serde<T> {

  private final Class<T> specificType;
  private AvroSerializer<T> serializer = new AvroSerializer<>();
  private AvroDeserializer<T> deserializer = new AvroDeserializer<>();

  private AvroSerde(Class<T> specificType) {
    this.specificType = specificType;
  }

  /** A serde reading into the generated class {@code type}. Call {@link #configure} before use. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
    return new AvroSerde<>(type);
  }

  /** A serde reading GenericRecords. Call {@link #configure} before use. */
  public static AvroSerde<GenericRecord> generic() {
    return new AvroSerde<>(null);
  }

  /** Configures this serde and returns it, for fluent setup. */
  public AvroSerde<T> configured(Map<String, ?> configs, boolean isKey) {
    configure(configs, isKey);
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> props = new HashMap<>(configs);
    if (specificType != null) {
      props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
      props.put(
          isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
          specificType);
    }
    AvroSerdeConfig config = AvroSerdeConfig.fromProperties(props, isKey);
    serializer = new AvroSerializer<>(config, isKey);
    deserializer = new AvroDeserializer<>(config);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}

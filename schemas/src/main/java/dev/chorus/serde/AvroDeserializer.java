package dev.chorus.serde;

import dev.chorus.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format: looks the writer schema up by id (cached) and
 * reads into a generated SpecificRecord class or a GenericRecord.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

  private AvroSerdeConfig config;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroDeserializer() {}

  /** A ready-to-use deserializer. */
  public AvroDeserializer(AvroSerdeConfig config) {
    this.config = config;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromProperties(configs, isKey);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int id = WireFormat.schemaId(data, topic);
    DatumReader<T> reader;
    try {
      reader = readers.computeIfAbsent(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot read record on topic '" + topic + "': " + e.getMessage(), e);
    }
    try {
      return reader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(
                  data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null));
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new SerializationException(
          "Record on topic '" + topic + "' does not decode with schema id " + id + ": " + e, e);
    }
  }

  private DatumReader<T> readerFor(int id) {
    Schema writer = config.client().schemaById(id);
    if (!config.specificReader()) {
      return new GenericDatumReader<>(writer, writer, GenericData.get());
    }
    Class<?> type =
        config.specificType() != null ? config.specificType() : SpecificData.get().getClass(writer);
    if (type == null) {
      throw new SerializationException(
          "specific.avro.reader is on but no generated class exists for "
              + writer.getFullName()
              + " (schema id "
              + id
              + ")");
    }
    SpecificData model = SpecificData.getForClass(type);
    return new SpecificDatumReader<>(writer, model.getSchema(type), model);
  }
}

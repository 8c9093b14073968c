package dev.chorus.processor.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON serde for internal state (stores and their changelogs); never for published contracts. */
final class JsonSerde<T> implements Serde<T> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Class<T> type;

  JsonSerde(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      try {
        return value == null ? null : JSON.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new SerializationException(
            "Cannot write " + type.getSimpleName() + " for " + topic, e);
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      try {
        return bytes == null ? null : JSON.readValue(bytes, type);
      } catch (IOException e) {
        throw new SerializationException(
            "Cannot read " + type.getSimpleName() + " from " + topic, e);
      }
    };
  }
}

package dev.chorus.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian int, then
 * the Avro binary encoding of the record.
 */
public final class WireFormat {

  /** First byte of every framed record. */
  public static final byte MAGIC_BYTE = 0;

  /** Bytes before the Avro payload. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Writes the 5-byte header for {@code schemaId} into {@code target}. */
  public static void writeHeader(ByteBuffer target, int schemaId) {
    target.put(MAGIC_BYTE).putInt(schemaId);
  }

  /**
   * Reads the schema id of a framed record.
   *
   * @throws SerializationException when the bytes are not in the Confluent wire format
   */
  public static int schemaId(byte[] framed, String topic) {
    if (framed.length < HEADER_SIZE) {
      throw new SerializationException(
          "Record on topic '"
              + topic
              + "' has "
              + framed.length
              + " bytes, fewer than the 5-byte Confluent header: not written by an Avro serializer");
    }
    if (framed[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "Record on topic '"
              + topic
              + "' starts with byte "
              + framed[0]
              + ", not the Confluent magic byte 0: not written by an Avro serializer");
    }
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }
}

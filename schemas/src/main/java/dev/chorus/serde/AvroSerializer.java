package dev.chorus.serde;

import dev.chorus.registry.RegisteredSchema;
import dev.chorus.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records (specific or generic) in the Confluent wire format, with
 * subjects named by TopicNameStrategy and schema ids from the registry (cached).
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

  private AvroSerdeConfig config;
  private boolean isKey;
  private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroSerializer() {}

  /** A ready-to-use serializer. */
  public AvroSerializer(AvroSerdeConfig config, boolean isKey) {
    this.config = config;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromProperties(configs, isKey);
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    String subject = AvroSerdeConfig.subject(topic, isKey);
    Schema schema = record.getSchema();
    try {
      if (config.useLatestVersion()) {
        RegisteredSchema latest = config.client().latest(subject);
        if (latest.schema().equals(schema)) {
          return frame(latest.id(), schema, record);
        }
        return frame(latest.id(), latest.schema(), convert(record, latest, subject));
      }
      int id =
          ids.computeIfAbsent(
              new SubjectSchema(subject, schema),
              key ->
                  config.autoRegister()
                      ? config.client().register(subject, schema)
                      : config.client().lookup(subject, schema).id());
      return frame(id, schema, record);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot serialize "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private byte[] frame(int id, Schema writerSchema, Object datum) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    byte[] header = new byte[WireFormat.HEADER_SIZE];
    WireFormat.writeHeader(ByteBuffer.wrap(header), id);
    out.writeBytes(header);
    // Buffered: one bulk copy into the stream instead of a synchronized write per field.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writers.computeIfAbsent(writerSchema, s -> writerFor(s, datum)).write(datum, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode a " + writerSchema.getFullName() + " record: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerFor(Schema schema, Object datum) {
    if (datum instanceof SpecificRecord) {
      return (DatumWriter<Object>)
          (DatumWriter<?>)
              new SpecificDatumWriter<>(schema, SpecificData.getForClass(datum.getClass()));
    }
    return new GenericDatumWriter<>(schema, GenericData.get());
  }

  /** Rewrites a record in the subject's latest schema, which must be able to read it. */
  private Object convert(T record, RegisteredSchema latest, String subject) {
    var compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), record.getSchema());
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "use.latest.version: latest schema of subject '"
              + subject
              + "' (id "
              + latest.id()
              + ", version "
              + latest.version()
              + ") cannot represent a "
              + record.getSchema().getFullName()
              + " record: "
              + compatibility.getDescription());
    }
    byte[] own = frame(0, record.getSchema(), record);
    try {
      return new GenericDatumReader<>(record.getSchema(), latest.schema())
          .read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(
                      own, WireFormat.HEADER_SIZE, own.length - WireFormat.HEADER_SIZE, null));
    } catch (IOException e) {
      throw new SerializationException(
          "use.latest.version: conversion failed: " + e.getMessage(), e);
    }
  }
}

package dev.chorus.processor.topology;

import dev.chorus.avro.SurveySubmission;
import dev.chorus.registry.SchemaRegistry;
import dev.chorus.serde.AvroSerdeConfig;
import dev.chorus.serde.WireFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads only {@code district_id} from a submission in the registry's wire format: the re-keying
 * step forwards the bytes untouched instead of decoding and re-encoding the whole record (Avro
 * schema resolution skips every other field), which halves the Avro work per submission.
 */
final class DistrictOf {

  /** The reader's view of a submission: its district and nothing else. */
  private static final Schema PROJECTION =
      Schema.createRecord(
          SurveySubmission.SCHEMA$.getName(),
          null,
          SurveySubmission.SCHEMA$.getNamespace(),
          false,
          List.of(new Schema.Field("district_id", Schema.create(Schema.Type.STRING))));

  private final SchemaRegistry registry;
  private final String topic;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
  // One instance serves every stream thread: each thread reuses its own decoder.
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  DistrictOf(Map<String, ?> serdeConfig, String topic) {
    this.registry = AvroSerdeConfig.fromProperties(serdeConfig, false).client();
    this.topic = topic;
  }

  String apply(byte[] framed) {
    int id = WireFormat.schemaId(framed, topic);
    GenericDatumReader<GenericRecord> reader =
        readers.computeIfAbsent(
            id, k -> new GenericDatumReader<>(registry.schemaById(k), PROJECTION));
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                framed,
                WireFormat.HEADER_SIZE,
                framed.length - WireFormat.HEADER_SIZE,
                decoders.get());
    decoders.set(decoder);
    try {
      return reader.read(null, decoder).get("district_id").toString();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot read district_id of a submission on topic '"
              + topic
              + "' (schema id "
              + id
              + "): "
              + e.getMessage(),
          e);
    }
  }
}

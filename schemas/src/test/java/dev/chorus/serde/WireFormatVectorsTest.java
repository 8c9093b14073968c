package dev.chorus.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.registry.InMemorySchemaRegistry;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Fixed vectors: schema + record + schema id -> exact bytes, derived by hand from the Avro spec and
 * the Confluent framing (0x00, 4-byte big-endian id, Avro binary). Any Confluent-format reader
 * decodes these bytes, and these tests prove Chorus writes and reads exactly them.
 */
class WireFormatVectorsTest {

  private static final Schema VECTOR =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Vector","namespace":"test","fields":[
                {"name":"id","type":"string"},
                {"name":"n","type":"int"},
                {"name":"score","type":["null","double"],"default":null}]}
              """);

  /** Registry whose first id is 42, so the header is 00 00 00 00 2a. */
  private static AvroSerdeConfig config() {
    return new AvroSerdeConfig(true, false, false, null, new InMemorySchemaRegistry(42));
  }

  private static GenericRecord record(String id, int n, Double score) {
    GenericRecord r = new GenericData.Record(VECTOR);
    r.put("id", id);
    r.put("n", n);
    r.put("score", score);
    return r;
  }

  @Test
  void recordWithNullUnionBranch() {
    // 00 | 0000002a | "ab" = len 2 zigzag 04, 61 62 | n = 1 zigzag 02 | union branch 0 (null) = 00
    byte[] bytes =
        new AvroSerializer<GenericRecord>(config(), false).serialize("t", record("ab", 1, null));
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("000000002a0461620200");
  }

  @Test
  void recordWithDoubleAndNegativeInt() {
    // n = -3 zigzag 05 | union branch 1 = 02 | 1.5 as little-endian IEEE 754 = 000000000000f83f
    byte[] bytes =
        new AvroSerializer<GenericRecord>(config(), false).serialize("t", record("", -3, 1.5));
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("000000002a000502000000000000f83f");
  }

  @Test
  void largeSchemaIdIsBigEndian() {
    AvroSerdeConfig config =
        new AvroSerdeConfig(true, false, false, null, new InMemorySchemaRegistry(0x01020304));
    byte[] bytes =
        new AvroSerializer<GenericRecord>(config, false).serialize("t", record("a", 0, null));
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("000102030402610000");
  }

  @Test
  void readsBytesWrittenByAnotherConfluentFormatWriter() {
    AvroSerdeConfig config = config();
    config.client().register("t-value", VECTOR);
    byte[] foreign = HexFormat.of().parseHex("000000002a000502000000000000f83f");
    Object read = new AvroDeserializer<GenericRecord>(config).deserialize("t", foreign);
    assertThat(read).isEqualTo(record("", -3, 1.5));
  }
}

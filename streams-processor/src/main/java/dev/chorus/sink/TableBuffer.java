package dev.chorus.sink;

import com.clickhouse.client.api.data_formats.RowBinaryFormatWriter;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The rows of one table waiting to be written, already encoded as RowBinaryWithDefaults by the
 * driver's own writer (columns not set take their table default, e.g. {@code _inserted_at}).
 */
public final class TableBuffer implements SinkTables.Row {

  /** The format of the encoded rows. */
  public static final ClickHouseFormat FORMAT = ClickHouseFormat.RowBinaryWithDefaults;

  private final String table;
  private final TableSchema schema;
  private ByteArrayOutputStream bytes;
  private RowBinaryFormatWriter writer;
  private int rows;

  /** Rows of {@code table} (qualified name) with the server's {@code schema} of it. */
  public TableBuffer(String table, TableSchema schema) {
    this.table = table;
    this.schema = schema;
    reset();
  }

  /** Qualified table name. */
  String table() {
    return table;
  }

  public int rows() {
    return rows;
  }

  @Override
  public void set(String column, Object value) {
    writer.setValue(column, value);
  }

  /** Ends the row being set. */
  public void commitRow() {
    try {
      writer.commitRow();
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops a row half set (its record could not be mapped). */
  void abortRow() {
    writer.clearRow();
  }

  /** The encoded rows. */
  public byte[] bytes() {
    return bytes.toByteArray();
  }

  /** Empties the buffer. */
  public void reset() {
    bytes = new ByteArrayOutputStream(1 << 16);
    writer = new RowBinaryFormatWriter(bytes, schema, FORMAT);
    rows = 0;
  }
}

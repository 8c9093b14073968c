package dev.chorus.sink;

import com.clickhouse.client.api.data_formats.RowBinaryFormatWriter;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The rows of one table waiting to be written, already encoded as RowBinaryWithDefaults by the
 * driver's own writer (columns not set take their table default, e.g. {@code _inserted_at}).
 */
public final class TableBuffer implements SinkTables.Row {

  /** The format of the encoded rows. */
  public static final ClickHouseFormat FORMAT = ClickHouseFormat.RowBinaryWithDefaults;

  private static final int MIN_CAPACITY = 1 << 16;

  private final String table;
  private final TableSchema schema;
  private Encoded bytes;
  private RowBinaryFormatWriter writer;
  private int rows;

  /** Rows of {@code table} (qualified name) with the server's {@code schema} of it. */
  public TableBuffer(String table, TableSchema schema) {
    this.table = table;
    this.schema = schema;
    start(MIN_CAPACITY);
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

  /** Hands over the encoded rows (no copy) and starts an empty buffer sized for a batch like it. */
  public Encoded take() {
    Encoded taken = bytes;
    start(Math.max(MIN_CAPACITY, taken.size() + taken.size() / 8));
    return taken;
  }

  /** Empties the buffer. */
  public void reset() {
    start(Math.max(MIN_CAPACITY, bytes.size()));
  }

  private void start(int capacity) {
    bytes = new Encoded(capacity);
    writer = new RowBinaryFormatWriter(bytes, schema, FORMAT);
    rows = 0;
  }

  /**
   * Encoded rows: a byte buffer without the locking and the copies of {@link ByteArrayOutputStream}
   * (the writer writes byte by byte; the insert reads it in place).
   */
  public static final class Encoded extends ByteArrayOutputStream {

    Encoded(int capacity) {
      super(capacity);
    }

    @Override
    public void write(int b) {
      if (count == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (count + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    /** The bytes, read in place. */
    public InputStream input() {
      return new ByteArrayInputStream(buf, 0, count);
    }

    @Override
    public int size() {
      return count;
    }
  }
}

package dev.chorus.ingest.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Receipts on disk under the ingest data directory: {@code <id>.json} (the summary) and {@code
 * <id>.rejections.ndjson} (every rejected row), so receipts survive restarts and large rejection
 * lists never sit in memory.
 */
public final class ReceiptStore {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Path dir;
  private final ObjectMapper json;

  public ReceiptStore(Path dir, ObjectMapper json) {
    this.dir = dir;
    this.json = json;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create receipt directory " + dir, e);
    }
  }

  /** Starts the rejection log of an upload, keeping the first {@code inline} rows in memory. */
  public RejectionLog open(String uploadId, int inline) {
    return new RejectionLog(dir.resolve(uploadId + ".rejections.ndjson"), inline, json);
  }

  /** Stores the finished receipt. */
  public void save(Receipt receipt) {
    Path target = dir.resolve(receipt.uploadId() + ".json");
    Path temp = dir.resolve(receipt.uploadId() + ".json.tmp");
    try {
      json.writeValue(temp.toFile(), receipt);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store receipt " + receipt.uploadId(), e);
    }
  }

  /** The receipt of an upload, if known. */
  public Optional<Receipt> find(String uploadId) {
    if (!ID.matcher(uploadId).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(uploadId + ".json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), Receipt.class));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read receipt " + uploadId, e);
    }
  }

  /** A page of an upload's rejected rows, in row order of rejection. */
  public List<Receipt.RejectedRow> rejections(String uploadId, long offset, int limit) {
    Path file = dir.resolve(uploadId + ".rejections.ndjson");
    List<Receipt.RejectedRow> page = new ArrayList<>();
    if (!ID.matcher(uploadId).matches() || !Files.exists(file)) {
      return page;
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long index = 0;
      while ((line = reader.readLine()) != null && page.size() < limit) {
        if (index++ >= offset) {
          page.add(json.readValue(line, Receipt.RejectedRow.class));
        }
      }
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read rejections of " + uploadId, e);
    }
  }

  /** Appends rejected rows of one upload to disk; thread-safe (Kafka callbacks add rows too). */
  public static final class RejectionLog implements AutoCloseable {
    private final BufferedWriter writer;
    private final ObjectMapper json;
    private final int inline;
    private final List<Receipt.RejectedRow> first = new ArrayList<>();
    private long total;

    RejectionLog(Path file, int inline, ObjectMapper json) {
      this.inline = inline;
      this.json = json;
      try {
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + file, e);
      }
    }

    /** Records a rejected row. */
    public synchronized void add(Receipt.RejectedRow row) {
      total++;
      if (first.size() < inline) {
        first.add(row);
      }
      try {
        writer.write(json.writeValueAsString(row));
        writer.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot append to the rejection log", e);
      }
    }

    public synchronized long total() {
      return total;
    }

    /** The first rows, for the inline part of the receipt. */
    public synchronized List<Receipt.RejectedRow> inline() {
      return List.copyOf(first);
    }

    @Override
    public synchronized void close() {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot close the rejection log", e);
      }
    }
  }
}

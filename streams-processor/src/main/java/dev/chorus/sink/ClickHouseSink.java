package dev.chorus.sink;

import com.clickhouse.client.api.Client;
import dev.chorus.registry.SchemaRegistryException;
import dev.chorus.sink.SinkTables.Origin;
import dev.chorus.sink.SinkTables.Table;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path, as a small state machine (design: DESIGN.md next to this class): poll output
 * records, map each to a row of its table, write a batch when it is big or old enough, and commit
 * the Kafka offsets only after ClickHouse confirmed every table's insert. Delivery is at least
 * once; the tables are idempotent (a replayed record rewrites the same key and version), so readers
 * see each cell once.
 *
 * <ul>
 *   <li>ClickHouse unavailable: consumption pauses (at most one batch is held), the insert is
 *       retried with exponential backoff and logged, and the sink resumes where it stopped.
 *   <li>A record that cannot be read or mapped (a contract break): the rows before it are written,
 *       the record goes to the dead-letter topic, its offset is committed, and the sink stops with
 *       an error.
 *   <li>A ClickHouse error retrying cannot fix (unknown table, access denied): the sink stops with
 *       an error without committing; nothing is lost, a restart after the fix rewrites the batch.
 * </ul>
 */
public final class ClickHouseSink implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSink.class);

  /**
   * Replacing tables would collapse duplicate keys within each inserted block; a batch rarely holds
   * two versions of a cell and readers use FINAL anyway, so skip that sort (~20 % faster).
   */
  private static final com.clickhouse.client.api.insert.InsertSettings INSERT_SETTINGS =
      new com.clickhouse.client.api.insert.InsertSettings()
          .serverSetting("optimize_on_insert", "0");

  /** What the sink is doing. */
  public enum State {
    STARTING,
    RUNNING,
    WAITING_FOR_CLICKHOUSE,
    STOPPED,
    FAILED
  }

  /** Tuning. */
  public record Settings(
      int batchRows, Duration batchMaxAge, Duration maxBackoff, String deadLetterTopic) {}

  private final Settings settings;
  private final Client client;
  private final String database;
  private final Consumer<String, byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetters;
  private final Map<String, Table<?>> tablesByTopic = new LinkedHashMap<>();
  private final Map<String, Deserializer<?>> deserializers;
  private final Map<String, TableBuffer> buffers = new LinkedHashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private volatile boolean closing;
  private volatile Throwable failure;
  private long oldestBufferedNanos;
  private final java.util.concurrent.ExecutorService writer =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "clickhouse-sink-writer");
            t.setDaemon(true);
            return t;
          });
  private java.util.concurrent.Future<Void> inFlight;
  private Batch inFlightBatch;
  private boolean revokedWhileWaiting;
  private int bufferedRows;

  private final Counter batches;
  private final Counter retries;
  private final Counter deadLettered;
  private final Timer insertTime;
  private final Map<String, Counter> rowsWritten = new HashMap<>();

  /**
   * @param tables the tables to write, each with its topic
   * @param deserializers the value deserializer of each topic
   */
  public ClickHouseSink(
      Settings settings,
      Client client,
      String database,
      List<Table<?>> tables,
      Map<String, Deserializer<?>> deserializers,
      Consumer<String, byte[]> consumer,
      Producer<byte[], byte[]> deadLetters,
      MeterRegistry meters) {
    this.settings = settings;
    this.client = client;
    this.database = database;
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.deserializers = deserializers;
    for (Table<?> table : tables) {
      tablesByTopic.put(table.topic(), table);
      String qualified = database + "." + table.table();
      buffers.put(
          table.topic(),
          new TableBuffer(qualified, client.getTableSchema(table.table(), database)));
      rowsWritten.put(
          table.topic(),
          Counter.builder("chorus_sink_rows_written")
              .description("Rows written to ClickHouse (confirmed)")
              .tag("table", table.table())
              .register(meters));
    }
    batches =
        Counter.builder("chorus_sink_batches").description("Batches written").register(meters);
    retries =
        Counter.builder("chorus_sink_insert_retries")
            .description("Inserts retried after a transient ClickHouse failure")
            .register(meters);
    deadLettered =
        Counter.builder("chorus_sink_dead_letters")
            .description("Records sent to the dead-letter topic")
            .register(meters);
    insertTime =
        Timer.builder("chorus_sink_insert").description("Time to write one batch").register(meters);
    meters.gauge(
        "chorus_sink_clickhouse_available",
        state,
        s -> s.get() == State.WAITING_FOR_CLICKHOUSE ? 0 : 1);
  }

  public State state() {
    return state.get();
  }

  /** Why the sink failed, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Asks the loop to write what it holds, commit and stop; returns at once. */
  public void close() {
    closing = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    try {
      loop();
    } finally {
      writer.shutdownNow();
    }
  }

  private void loop() {
    try {
      consumer.subscribe(tablesByTopic.keySet(), new Rebalance());
      state.set(State.RUNNING);
      while (!closing) {
        ConsumerRecords<String, byte[]> records;
        try {
          records = consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
          if (closing) {
            break;
          }
          throw e;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          accept(record);
        }
        // Write when the batch is full or old enough, or at once when the sink has caught up
        // (nothing more to read and no write in flight): under load batches stay large, while
        // a quiet pipeline's results are visible without waiting out the batch age.
        boolean caughtUp = records.isEmpty() && inFlight == null;
        if (bufferedRows >= settings.batchRows()
            || (bufferedRows > 0
                && (caughtUp
                    || System.nanoTime() - oldestBufferedNanos
                        >= settings.batchMaxAge().toNanos()))) {
          flush(false);
        } else if (inFlight != null && inFlight.isDone()) {
          awaitInFlight();
        }
      }
      flush(true);
      state.set(State.STOPPED);
      LOG.info("Sink stopped; everything read was written and committed");
    } catch (WakeupException e) {
      if (closing) {
        // Nothing more to read: write and commit what was read before stopping.
        try {
          flush(true);
        } catch (RuntimeException ignored) {
          // ClickHouse unavailable while stopping: the next start re-reads the rows.
        }
      }
      state.set(State.STOPPED);
      LOG.info("Sink stopped while waiting; unwritten rows will be re-read on the next start");
    } catch (SinkFailedException e) {
      failure = e;
      state.set(State.FAILED);
      LOG.error("Sink stopped: {}", e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      failure = e;
      state.set(State.FAILED);
      LOG.error("Sink failed unexpectedly; nothing after the last commit is lost", e);
    }
  }

  private void accept(ConsumerRecord<String, byte[]> record) {
    Table<?> table = tablesByTopic.get(record.topic());
    TableBuffer buffer = buffers.get(record.topic());
    try {
      Object value = record.value() == null ? null : decode(record);
      table.fill(
          record.key(),
          value,
          new Origin(record.partition(), record.offset(), record.timestamp()),
          buffer);
      buffer.commitRow();
    } catch (RuntimeException e) {
      buffer.abortRow();
      deadLetter(record, e);
      return;
    }
    if (bufferedRows == 0) {
      oldestBufferedNanos = System.nanoTime();
    }
    bufferedRows++;
    pending.put(
        new TopicPartition(record.topic(), record.partition()),
        new OffsetAndMetadata(record.offset() + 1));
  }

  /** The record's value; waits (with backoff) while the schema registry is unreachable. */
  private Object decode(ConsumerRecord<String, byte[]> record) {
    long backoffMs = 100;
    while (true) {
      try {
        return deserializers.get(record.topic()).deserialize(record.topic(), record.value());
      } catch (RuntimeException e) {
        if (!registryUnavailable(e) || closing) {
          throw e;
        }
        retries.increment();
        LOG.warn(
            "Schema registry unavailable reading {}-{}@{} ({}); retrying in {} ms",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getMessage(),
            backoffMs);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
      }
    }
  }

  private static boolean registryUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException e) {
        return e.httpStatus() == SchemaRegistryException.UNREACHABLE || e.httpStatus() >= 500;
      }
    }
    return false;
  }

  /** Rows taken from the buffers for one write: encoded rows per table and the offsets after. */
  private static final class Batch {
    final Map<String, TableBuffer.Encoded> bytes = new LinkedHashMap<>();
    final Map<String, Integer> rows = new LinkedHashMap<>();
    final Map<TopicPartition, OffsetAndMetadata> offsets;
    final int totalRows;

    Batch(Map<String, TableBuffer> buffers, Map<TopicPartition, OffsetAndMetadata> offsets) {
      int total = 0;
      for (Map.Entry<String, TableBuffer> e : buffers.entrySet()) {
        if (e.getValue().rows() > 0) {
          rows.put(e.getKey(), e.getValue().rows());
          total += e.getValue().rows();
          bytes.put(e.getKey(), e.getValue().take());
        }
      }
      this.offsets = Map.copyOf(offsets);
      this.totalRows = total;
    }
  }

  /**
   * Hands the buffered rows to the writer thread and returns, so the next batch is read and encoded
   * while ClickHouse stores this one; at most one batch is in flight. Its offsets are committed
   * once ClickHouse confirmed it. {@code sync} waits for the write and the commit.
   */
  private void flush(boolean sync) {
    if (bufferedRows > 0 || !pending.isEmpty()) {
      Batch next = new Batch(buffers, pending);
      bufferedRows = 0;
      pending.clear();
      awaitInFlight();
      inFlightBatch = next;
      inFlight = writer.submit(() -> write(next));
    }
    if (sync) {
      awaitInFlight();
    }
  }

  /** Waits for the batch in flight, retrying it while ClickHouse is unavailable; commits it. */
  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    Batch batch = inFlightBatch;
    RuntimeException failure = null;
    try {
      inFlight.get();
    } catch (java.util.concurrent.ExecutionException e) {
      failure =
          e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WakeupException();
    } finally {
      inFlight = null;
      inFlightBatch = null;
    }
    long backoffMs = 100;
    int attempt = 0;
    while (failure != null) {
      if (ClickHouseFailures.permanent(failure)) {
        throw new SinkFailedException(
            "ClickHouse rejected the write in a way retrying cannot fix ("
                + failure.getMessage()
                + "). Check the tables (migrations) and the user's grants; offsets were not"
                + " committed, so a restart writes the batch again.",
            failure);
      }
      if (closing) {
        throw new WakeupException();
      }
      attempt++;
      retries.increment();
      if (state.getAndSet(State.WAITING_FOR_CLICKHOUSE) != State.WAITING_FOR_CLICKHOUSE) {
        consumer.pause(consumer.assignment());
      }
      LOG.warn(
          "ClickHouse write failed (attempt {}, {} rows held, consumption paused): {}; retrying"
              + " in {} ms",
          attempt,
          batch.totalRows + bufferedRows,
          failure.getMessage(),
          backoffMs);
      waitKeepingMembership(backoffMs);
      backoffMs = Math.min(backoffMs * 2, settings.maxBackoff().toMillis());
      if (revokedWhileWaiting) {
        // A rebalance took partitions away: their new owner re-reads the batch.
        revokedWhileWaiting = false;
        break;
      }
      try {
        write(batch);
        failure = null;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (state.compareAndSet(State.WAITING_FOR_CLICKHOUSE, State.RUNNING)) {
      consumer.resume(consumer.assignment());
      LOG.info("ClickHouse is back after {} retries; consumption resumed", attempt);
    }
    if (failure == null) {
      commit(batch.offsets);
    }
  }

  /** Inserts every table of the batch not yet written (a retry skips those that succeeded). */
  private Void write(Batch batch) {
    for (Map.Entry<String, TableBuffer.Encoded> entry : List.copyOf(batch.bytes.entrySet())) {
      String topic = entry.getKey();
      String table = buffers.get(topic).table();
      long started = System.nanoTime();
      try {
        client
            .insert(table, entry.getValue().input(), TableBuffer.FORMAT, INSERT_SETTINGS)
            .get(5, TimeUnit.MINUTES)
            .close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while writing " + table, e);
      } catch (Exception e) {
        Throwable cause =
            e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause()
                : e;
        throw new IllegalStateException(
            "insert into " + table + " failed: " + cause.getMessage(), cause);
      }
      insertTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      rowsWritten.get(topic).increment(batch.rows.get(topic));
      batch.bytes.remove(topic);
    }
    batches.increment();
    return null;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // The rows are in ClickHouse; whoever owns the partitions now re-reads them and rewrites
      // the same keys and versions, which the tables collapse.
      LOG.warn("Offsets not committed ({}); the records will be re-read", e.getMessage());
    }
  }

  /** Waits while ClickHouse is down, polling (paused) so the group keeps this member. */
  private void waitKeepingMembership(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline && !closing) {
      ConsumerRecords<String, byte[]> unexpected;
      try {
        unexpected = consumer.poll(Duration.ofMillis(Math.min(millis, 200)));
      } catch (WakeupException e) {
        if (closing) {
          throw e;
        }
        continue;
      }
      // Partitions assigned while paused are paused in the listener; should any record slip
      // through, rewind so it is read again once writing resumes.
      for (TopicPartition tp : unexpected.partitions()) {
        consumer.seek(tp, unexpected.records(tp).get(0).offset());
      }
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException error) {
    String where = record.topic() + "-" + record.partition() + "@" + record.offset();
    LOG.error(
        "Record {} (key {}) cannot be written: {}. Writing what came before it, then sending it to"
            + " {} and stopping.",
        where,
        record.key(),
        error.getMessage());
    flush(true);
    RecordHeaders headers = new RecordHeaders();
    headers.add("chorus.source.topic", utf8(record.topic()));
    headers.add("chorus.source.partition", utf8(Integer.toString(record.partition())));
    headers.add("chorus.source.offset", utf8(Long.toString(record.offset())));
    headers.add("chorus.error", utf8(error.getClass().getName() + ": " + error.getMessage()));
    try {
      deadLetters
          .send(
              new ProducerRecord<>(
                  settings.deadLetterTopic(),
                  null,
                  record.timestamp(),
                  record.key() == null ? null : utf8(record.key()),
                  record.value(),
                  headers))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new SinkFailedException(
          "record "
              + where
              + " cannot be written and could not be sent to the dead-letter topic "
              + settings.deadLetterTopic()
              + " ("
              + e.getMessage()
              + "); offsets were not committed past it",
          error);
    }
    deadLettered.increment();
    commit(
        Map.of(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1)));
    throw new SinkFailedException(
        "record "
            + where
            + " cannot be written ("
            + error.getMessage()
            + "); it is on "
            + settings.deadLetterTopic()
            + " with its origin in headers. Fix the producer or the contract, then restart: the"
            + " sink continues after it.",
        error);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Drops buffered rows of partitions taken away (their new owner re-reads them). */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (state.get() == State.RUNNING) {
        // One attempt, no retries (a rebalance is waiting): write and commit what was read.
        try {
          if (inFlight != null) {
            inFlight.get(1, TimeUnit.MINUTES);
            commit(inFlightBatch.offsets);
            inFlight = null;
            inFlightBatch = null;
          }
          if (bufferedRows > 0 || !pending.isEmpty()) {
            Batch batch = new Batch(buffers, pending);
            bufferedRows = 0;
            pending.clear();
            write(batch);
            commit(batch.offsets);
          }
          return;
        } catch (Exception e) {
          LOG.warn(
              "Could not write before a rebalance ({}); the rows will be re-read", e.getMessage());
        }
      } else {
        revokedWhileWaiting = true;
      }
      // Drop what is held; the partitions' next owner reads it again from the last commit.
      inFlight = null;
      inFlightBatch = null;
      for (TableBuffer buffer : buffers.values()) {
        buffer.reset();
      }
      bufferedRows = 0;
      pending.clear();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (state.get() == State.WAITING_FOR_CLICKHOUSE) {
        consumer.pause(partitions);
      }
      LOG.info("Sink assigned {} partitions", partitions.size());
    }
  }

  /** The sink stopped for a reason an operator must look at. */
  public static final class SinkFailedException extends RuntimeException {
    SinkFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

package dev.chorus.ingest.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Two stages on two threads: the caller reads rows, one worker handles them, in order. Batches keep
 * hand-over cheap; a bounded queue keeps memory bounded and makes a slow worker slow the reader
 * (backpressure). A worker failure is rethrown to the caller.
 */
final class RowPipeline<T> implements AutoCloseable {

  private static final int BATCH = 128;
  // Few rows in flight: queued rows outlive young collections and make every GC copy them.
  private static final int QUEUED_BATCHES = 2;

  private final BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final List<T> endMarker = new ArrayList<>(0);
  private final Thread worker;
  private volatile Throwable failure;
  private List<T> batch = new ArrayList<>(BATCH);
  private boolean finished;

  RowPipeline(String name, Consumer<T> handler) {
    this.worker =
        new Thread(
            () -> {
              try {
                while (true) {
                  List<T> next = queue.take();
                  if (next == endMarker) {
                    return;
                  }
                  next.forEach(handler);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable t) {
                failure = t;
                queue.clear();
              }
            },
            name);
    worker.setDaemon(true);
    worker.start();
  }

  /** Hands one row to the worker. */
  void accept(T row) {
    batch.add(row);
    if (batch.size() == BATCH) {
      hand(batch);
      batch = new ArrayList<>(BATCH);
    }
  }

  /** Waits until the worker has handled every row; rethrows its failure, if any. */
  void finish() {
    if (!finished) {
      finished = true;
      if (!batch.isEmpty()) {
        hand(batch);
      }
      hand(endMarker);
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for the upload worker", e);
      }
    }
    rethrow();
  }

  private void hand(List<T> rows) {
    try {
      while (!queue.offer(rows, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
        if (!worker.isAlive()) {
          throw new IllegalStateException("the upload worker stopped");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted handing rows to the upload worker", e);
    }
    rethrow();
  }

  private void rethrow() {
    Throwable t = failure;
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /** Stops the worker if the caller gave up early (an exception while reading). */
  @Override
  public void close() {
    if (!finished) {
      worker.interrupt();
    }
  }
}

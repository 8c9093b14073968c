package dev.chorus.processor.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/** The processor's own meters, shared by all its tasks. */
public final class ProcessorMetrics {

  final Counter applied;
  final Counter duplicates;
  final Counter late;
  final Counter parked;
  final Counter published;
  final Timer publication;
  final Counter rerouted;
  final AtomicLong waiting = new AtomicLong();

  public ProcessorMetrics(MeterRegistry meters) {
    String name = "chorus.processor.submissions";
    this.applied =
        Counter.builder(name)
            .tag("outcome", "applied")
            .description("submissions applied to the metrics")
            .register(meters);
    this.duplicates =
        Counter.builder(name)
            .tag("outcome", "duplicate")
            .description("submission ids seen before (no-ops)")
            .register(meters);
    this.late =
        Counter.builder(name)
            .tag("outcome", "late")
            .description(
                "submissions later than the grace: cycle to date only, sent to the late topic")
            .register(meters);
    this.parked =
        Counter.builder(name)
            .tag("outcome", "parked")
            .description("submissions parked because their instrument had not arrived")
            .register(meters);
    this.published =
        Counter.builder("chorus.processor.published.records")
            .description("metric records published (including tombstones)")
            .register(meters);
    this.publication =
        Timer.builder("chorus.processor.publication")
            .description(
                "time the stream thread spends deciding and producing what changed, per publication"
                    + " that published anything")
            .register(meters);
    this.rerouted =
        Counter.builder("chorus.processor.rerouted.submissions")
            .description(
                "submissions not on their district's partition, re-keyed through the repartition"
                    + " topic (0 when producers partition submissions by district)")
            .register(meters);
    meters.gauge("chorus.processor.parked.submissions", waiting);
  }

  /** Submissions applied so far. */
  public double appliedCount() {
    return applied.count();
  }

  /** Late submissions so far. */
  public double lateCount() {
    return late.count();
  }

  /** Submissions that took the repartition hop so far. */
  public double reroutedCount() {
    return rerouted.count();
  }

  /** Submissions waiting for their instrument now. */
  public long waiting() {
    return waiting.get();
  }
}

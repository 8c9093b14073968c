package dev.chorus.processor.topology;

import dev.chorus.processor.engine.Aggregates;
import java.time.Duration;

/**
 * How the metrics topology runs.
 *
 * @param aggregates windows, grace, suppression and response gate
 * @param emitInterval how often changed cells are published (wall clock)
 * @param rollingItemDistributions whether item distributions get rolling daily series too
 * @param partitions partitions of the by-district repartition topics
 */
public record MetricsSettings(
    Aggregates.Settings aggregates,
    Duration emitInterval,
    boolean rollingItemDistributions,
    int partitions) {}

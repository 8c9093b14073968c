package dev.chorus.processor.topology;

import dev.chorus.processor.engine.Aggregates;
import java.time.Duration;

/**
 * How the metrics topology runs.
 *
 * @param aggregates windows, grace, suppression and response gate
 * @param emitInterval how often changed cells are published (wall clock)
 * @param backlogEmitInterval how often while catching up on a backlog (the records processed were
 *     written more than five emit intervals, at least 5 s, ago): a replay's intermediate states are
 *     not worth publishing
 * @param rollingItemDistributions whether item distributions get rolling daily series too
 * @param partitions partitions of the by-district repartition topics
 */
public record MetricsSettings(
    Aggregates.Settings aggregates,
    Duration emitInterval,
    Duration backlogEmitInterval,
    boolean rollingItemDistributions,
    int partitions) {}

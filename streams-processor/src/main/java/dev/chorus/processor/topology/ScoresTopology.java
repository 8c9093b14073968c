package dev.chorus.processor.topology;

import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.serde.AvroSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology, built on a caller's {@link StreamsBuilder} so tests reuse it. Every
 * processor, store and internal topic is named, so names stay stable across releases (the
 * description is pinned by a test).
 */
public final class ScoresTopology {

  /** Submission ids already applied (duplicates are no-ops). */
  public static final String SEEN_IDS_STORE = "chorus-submission-ids";

  /** Each respondent's submission that currently counts. */
  public static final String LATEST_STORE = "chorus-latest-submissions";

  /** Cycle-to-date statistics per school, scale and role group. */
  public static final String SCALE_CELLS_STORE = "chorus-scale-cells";

  /** Instruments, from the compacted instruments topic. */
  public static final String INSTRUMENTS_STORE = "chorus-instruments";

  private ScoresTopology() {}

  /**
   * Adds the topology.
   *
   * @param serdeConfig schema-registry settings for the Avro serdes
   */
  public static void build(
      StreamsBuilder builder,
      ChorusTopics topics,
      SmallCellPolicy policy,
      Map<String, ?> serdeConfig) {
    AvroSerde<SurveySubmission> submissions =
        AvroSerde.specific(SurveySubmission.class).configured(serdeConfig, false);
    AvroSerde<InstrumentDefinition> instruments =
        AvroSerde.specific(InstrumentDefinition.class).configured(serdeConfig, false);
    AvroSerde<ScaleScore> scores =
        AvroSerde.specific(ScaleScore.class).configured(serdeConfig, false);

    builder.globalTable(
        topics.instruments(),
        Consumed.with(Serdes.String(), instruments).withName("instruments-source"),
        Materialized.<String, InstrumentDefinition, KeyValueStore<Bytes, byte[]>>as(
                INSTRUMENTS_STORE)
            .withKeySerde(Serdes.String())
            .withValueSerde(instruments));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SEEN_IDS_STORE), Serdes.String(), Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LATEST_STORE), Serdes.String(), submissions));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SCALE_CELLS_STORE),
            Serdes.String(),
            new JsonSerde<>(CellSet.class)));

    builder.stream(
            topics.submissions(),
            Consumed.with(Serdes.String(), submissions).withName("submissions-source"))
        .process(
            () -> new ScaleScoresProcessor(policy),
            Named.as("scale-scores"),
            SEEN_IDS_STORE,
            LATEST_STORE,
            SCALE_CELLS_STORE)
        .to(
            topics.scaleScores(),
            Produced.with(Serdes.String(), scores).withName("scale-scores-sink"));
  }
}

package dev.chorus.processor.topology;

import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.Roster;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.processor.engine.RespondentHistorySerde;
import dev.chorus.serde.AvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology, built on a caller's {@link StreamsBuilder} so tests reuse it.
 * Submissions (keyed by school) and rosters are re-keyed by district so one task holds a whole
 * district; the {@code metrics} processor keeps the durable per-respondent state and publishes
 * every metric through one sink that routes each record to its topic. Every processor, store and
 * internal topic is named, so names stay stable across releases (the description is pinned by a
 * test).
 */
public final class MetricsTopology {

  /**
   * Every respondent's submissions ({@link dev.chorus.processor.engine.RespondentHistory}); also
   * what makes a duplicate submission id a no-op.
   */
  public static final String HISTORIES_STORE = "chorus-respondent-histories";

  /** Rosters by district/cycle/school. */
  public static final String ROSTERS_STORE = "chorus-rosters";

  /** Submissions whose instrument has not arrived yet, by submission id. */
  public static final String PARKED_STORE = "chorus-parked-submissions";

  /** The version counter of published records. */
  public static final String EMIT_STATE_STORE = "chorus-emit-state";

  /** Instruments, from the compacted instruments topic. */
  public static final String INSTRUMENTS_STORE = "chorus-instruments";

  private MetricsTopology() {}

  /** The topic each published record type goes to. */
  public static Map<Class<?>, String> outputTopics(ChorusTopics topics) {
    return Map.of(
        dev.chorus.avro.ScaleScore.class, topics.scaleScores(),
        dev.chorus.avro.ItemDistribution.class, topics.itemDistributions(),
        dev.chorus.avro.ScaleChange.class, topics.scaleChanges(),
        dev.chorus.avro.ResponseRate.class, topics.responseRates(),
        dev.chorus.avro.InfluenceDistribution.class, topics.influence(),
        dev.chorus.avro.DecisionPattern.class, topics.decisionPatterns());
  }

  /**
   * Adds the topology.
   *
   * @param serdeConfig schema-registry settings for the Avro serdes
   */
  public static void build(
      StreamsBuilder builder,
      ChorusTopics topics,
      MetricsSettings settings,
      Map<String, ?> serdeConfig,
      ProcessorMetrics metrics) {
    AvroSerde<SurveySubmission> submissions =
        AvroSerde.specific(SurveySubmission.class).configured(serdeConfig, false);
    AvroSerde<Roster> rosters = AvroSerde.specific(Roster.class).configured(serdeConfig, false);
    AvroSerde<InstrumentDefinition> instruments =
        AvroSerde.specific(InstrumentDefinition.class).configured(serdeConfig, false);

    builder.globalTable(
        topics.instruments(),
        Consumed.with(Serdes.String(), instruments).withName("instruments-source"),
        Materialized.<String, InstrumentDefinition, KeyValueStore<Bytes, byte[]>>as(
                INSTRUMENTS_STORE)
            .withKeySerde(Serdes.String())
            .withValueSerde(instruments));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(HISTORIES_STORE),
            Serdes.String(),
            new RespondentHistorySerde(submissions, topics.submissions())));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ROSTERS_STORE), Serdes.String(), rosters));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PARKED_STORE), Serdes.String(), submissions));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EMIT_STATE_STORE), Serdes.String(), Serdes.Long()));

    // Submissions already on their district's partition go straight to the metrics; the others
    // are re-keyed as bytes, with only district_id decoded (DistrictOf), and take the repartition
    // topic (DistrictRouter).
    DistrictOf districtOf = new DistrictOf(serdeConfig, topics.submissions());
    Map<String, KStream<String, DistrictRouter.Located>> located =
        builder.stream(
                topics.submissions(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("submissions-source"))
            .filter((school, bytes) -> bytes != null, Named.as("submissions-present"))
            .process(
                () ->
                    new DistrictRouter(
                        districtOf,
                        submissions.deserializer(),
                        topics.submissions(),
                        settings.partitions(),
                        metrics),
                Named.as("submissions-by-district-key"))
            .split(Named.as("submissions-at-"))
            .branch((district, v) -> v.submission() != null, Branched.as("home"))
            .defaultBranch(Branched.as("elsewhere"));
    KStream<String, Object> direct =
        located
            .get("submissions-at-home")
            .mapValues(v -> (Object) v, Named.as("submissions-at-home-as-input"));
    KStream<String, Object> bySubmissions =
        located
            .get("submissions-at-elsewhere")
            .mapValues(DistrictRouter.Located::bytes, Named.as("submissions-elsewhere-bytes"))
            .repartition(
                Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                    .withName("submissions-by-district")
                    .withNumberOfPartitions(settings.partitions()))
            .mapValues(
                bytes ->
                    (Object)
                        new DistrictRouter.Located(
                            bytes,
                            submissions.deserializer().deserialize(topics.submissions(), bytes)),
                Named.as("submissions-as-input"))
            .merge(direct, Named.as("submissions-by-district-all"));
    KStream<String, Object> byRosters =
        byDistrict(builder, topics.rosters(), "rosters", rosters, Roster::getDistrictId, settings);

    bySubmissions
        .merge(byRosters, Named.as("district-inputs"))
        .process(
            () -> new MetricsProcessor(settings, topics, metrics),
            Named.as("metrics"),
            HISTORIES_STORE,
            ROSTERS_STORE,
            PARKED_STORE,
            EMIT_STATE_STORE)
        .to(
            new Routed.ByTopic(),
            Produced.with(Serdes.String(), Routed.serde(serdeConfig)).withName("outputs-sink"));
  }

  /** Reads a topic and re-keys it by district through a named repartition topic. */
  private static <V extends SpecificRecord> KStream<String, Object> byDistrict(
      StreamsBuilder builder,
      String topic,
      String name,
      AvroSerde<V> serde,
      java.util.function.Function<V, String> district,
      MetricsSettings settings) {
    return builder.stream(topic, Consumed.with(Serdes.String(), serde).withName(name + "-source"))
        .filter((key, v) -> v != null, Named.as(name + "-present"))
        .selectKey((key, v) -> district.apply(v), Named.as(name + "-by-district-key"))
        .repartition(
            Repartitioned.with(Serdes.String(), serde)
                .withName(name + "-by-district")
                .withNumberOfPartitions(settings.partitions()))
        .mapValues(v -> (Object) v, Named.as(name + "-as-input"));
  }
}

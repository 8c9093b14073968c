package dev.chorus.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.DecisionPattern;
import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.ItemDistribution;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.Roster;
import dev.chorus.avro.ScaleChange;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.processor.Scenarios;
import dev.chorus.registry.InMemorySchemaRegistry;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** The metrics topology in a {@link TopologyTestDriver}, with its outputs folded into state. */
final class TopologyRun implements AutoCloseable {

  static final ChorusTopics TOPICS = new ChorusTopics("chorus.");

  final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
  private final String scope = "mock://metrics-" + UUID.randomUUID();
  private final Map<String, Object> serde = Map.of(RegistryClientConfig.URL, scope);
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, SurveySubmission> submissions;
  private final TestInputTopic<String, Roster> rosters;
  private final TestInputTopic<String, InstrumentDefinition> instruments;
  private final Map<String, TestOutputTopic<String, ? extends SpecificRecord>> outputs =
      new HashMap<>();
  private final TestOutputTopic<String, SurveySubmission> late;
  private final Map<String, Map<String, SpecificRecordBase>> state = new TreeMap<>();
  private final Map<String, Long> versions = new HashMap<>();
  private final List<SurveySubmission> lateSeen = new ArrayList<>();

  static MetricsSettings settings(boolean rollingItems) {
    return settings(rollingItems, 4);
  }

  /**
   * @param partitions of the by-district repartition topics: the test driver reads every input from
   *     partition 0, so district d1 (partition 1 of 4) takes the repartition hop, while with 1
   *     partition every submission is on its district's partition already
   */
  static MetricsSettings settings(boolean rollingItems, int partitions) {
    return new MetricsSettings(
        Scenarios.settings(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        rollingItems,
        partitions);
  }

  static Topology topology(Map<String, ?> serde, MetricsSettings settings, ProcessorMetrics m) {
    StreamsBuilder builder = new StreamsBuilder();
    MetricsTopology.build(builder, TOPICS, settings, serde, m);
    return builder.build();
  }

  TopologyRun(MetricsSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(topology(serde, settings, metrics), props);
    instruments =
        driver.createInputTopic(
            TOPICS.instruments(),
            Serdes.String().serializer(),
            AvroSerde.specific(InstrumentDefinition.class).configured(serde, false).serializer());
    submissions =
        driver.createInputTopic(
            TOPICS.submissions(),
            Serdes.String().serializer(),
            AvroSerde.specific(SurveySubmission.class).configured(serde, false).serializer());
    rosters =
        driver.createInputTopic(
            TOPICS.rosters(),
            Serdes.String().serializer(),
            AvroSerde.specific(Roster.class).configured(serde, false).serializer());
    output(TOPICS.scaleScores(), ScaleScore.class);
    output(TOPICS.itemDistributions(), ItemDistribution.class);
    output(TOPICS.scaleChanges(), ScaleChange.class);
    output(TOPICS.responseRates(), ResponseRate.class);
    output(TOPICS.influence(), InfluenceDistribution.class);
    output(TOPICS.decisionPatterns(), DecisionPattern.class);
    late =
        driver.createOutputTopic(
            TOPICS.lateSubmissions(),
            Serdes.String().deserializer(),
            AvroSerde.specific(SurveySubmission.class).configured(serde, false).deserializer());
  }

  private <T extends SpecificRecordBase> void output(String topic, Class<T> type) {
    outputs.put(
        topic,
        driver.createOutputTopic(
            topic,
            Serdes.String().deserializer(),
            AvroSerde.specific(type).configured(serde, false).deserializer()));
    state.put(topic, new TreeMap<>());
  }

  TopologyRun instrument(Instrument instrument) {
    instruments.pipeInput(
        InstrumentAvro.topicKey(null, instrument.id(), instrument.version()),
        InstrumentAvro.toAvro(instrument, null));
    return this;
  }

  TopologyRun submit(SurveySubmission s) {
    submissions.pipeInput(s.getSchoolId(), s, s.getReceivedAt());
    return this;
  }

  TopologyRun roster(Roster r) {
    rosters.pipeInput(r.getDistrictId() + "/" + r.getCycle() + "/" + r.getSchoolId(), r);
    return this;
  }

  /** Lets the publication punctuation run. */
  TopologyRun publish() {
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    return this;
  }

  /** The final value of every key of every metric topic (tombstones applied). */
  Map<String, Map<String, SpecificRecordBase>> state() {
    outputs.forEach(
        (topic, output) ->
            output
                .readKeyValuesToList()
                .forEach(
                    kv -> {
                      if (kv.value == null) {
                        state.get(topic).remove(kv.key);
                      } else {
                        SpecificRecordBase value = (SpecificRecordBase) kv.value;
                        long version = (Long) value.get("version");
                        Long previous = versions.put(topic + kv.key, version);
                        assertThat(version)
                            .as("versions grow per cell: %s", kv.key)
                            .isGreaterThan(previous == null ? 0 : previous);
                        state.get(topic).put(kv.key, value);
                      }
                    }));
    return state;
  }

  /** Submissions published on the late topic so far. */
  List<SurveySubmission> late() {
    late.readValuesToList().forEach(lateSeen::add);
    return lateSeen;
  }

  @Override
  public void close() {
    driver.close();
    InMemorySchemaRegistry.dropScope(scope);
  }
}

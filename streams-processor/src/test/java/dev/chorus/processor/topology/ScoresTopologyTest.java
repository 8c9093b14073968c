package dev.chorus.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.InstrumentDefinition;
import dev.chorus.avro.Role;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentAvro;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.processor.OracleAssertions;
import dev.chorus.processor.suppression.SmallCellPolicy;
import dev.chorus.registry.InMemorySchemaRegistry;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The streamed final state equals the batch oracle, whatever the order of arrival. */
class ScoresTopologyTest {

  private static final Instrument INSTRUMENT = InstrumentLoader.defaultInstrument();
  private static final ChorusTopics TOPICS = new ChorusTopics("chorus.");
  private static final SmallCellPolicy POLICY = new SmallCellPolicy(5);
  private static final List<String> ITEMS =
      List.of(
          "vision_strategy_1",
          "vision_strategy_2",
          "trust_respect_5",
          "burnout_risk",
          "shared_influence_3");
  private static final Role[] ROLES = {
    Role.TEACHER, Role.TEACHER, Role.TEACHER, Role.ADMINISTRATOR, Role.PARAPROFESSIONAL
  };

  static Topology topology(Map<String, Object> serde) {
    StreamsBuilder builder = new StreamsBuilder();
    ScoresTopology.build(builder, TOPICS, POLICY, serde);
    return builder.build();
  }

  /** Runs submissions through the topology; returns the final value of every output key. */
  static Map<String, ScaleScore> stream(List<SurveySubmission> submissions) {
    String scope = "mock://scores-" + UUID.randomUUID();
    Map<String, Object> serde = Map.of(RegistryClientConfig.URL, scope);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scores-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology(serde), props)) {
      TestInputTopic<String, InstrumentDefinition> instruments =
          driver.createInputTopic(
              TOPICS.instruments(),
              Serdes.String().serializer(),
              AvroSerde.specific(InstrumentDefinition.class).configured(serde, false).serializer());
      instruments.pipeInput(
          InstrumentAvro.topicKey(null, INSTRUMENT.id(), INSTRUMENT.version()),
          InstrumentAvro.toAvro(INSTRUMENT, null));
      TestInputTopic<String, SurveySubmission> input =
          driver.createInputTopic(
              TOPICS.submissions(),
              Serdes.String().serializer(),
              AvroSerde.specific(SurveySubmission.class).configured(serde, false).serializer());
      for (SurveySubmission s : submissions) {
        input.pipeInput(s.getSchoolId(), s, s.getReceivedAt());
      }
      TestOutputTopic<String, ScaleScore> output =
          driver.createOutputTopic(
              TOPICS.scaleScores(),
              Serdes.String().deserializer(),
              AvroSerde.specific(ScaleScore.class).configured(serde, false).deserializer());
      Map<String, ScaleScore> state = new LinkedHashMap<>();
      Map<String, Long> versions = new HashMap<>();
      output
          .readKeyValuesToList()
          .forEach(
              kv -> {
                if (kv.value == null) {
                  state.remove(kv.key);
                } else {
                  Long previous = versions.put(kv.key, kv.value.getVersion());
                  assertThat(kv.value.getVersion())
                      .as("versions grow per cell")
                      .isGreaterThan(previous == null ? 0 : previous);
                  state.put(kv.key, kv.value);
                }
              });
      InMemorySchemaRegistry.dropScope(scope);
      return state;
    }
  }

  static void assertMatchesOracle(List<SurveySubmission> submissions) {
    OracleAssertions.assertMatches(
        stream(submissions), OracleAssertions.expectedSchoolCells(submissions, INSTRUMENT, POLICY));
  }

  private static SurveySubmission submission(
      String id,
      String school,
      String respondent,
      Role role,
      long minute,
      Map<String, Integer> answers) {
    return SurveySubmission.newBuilder()
        .setSubmissionId(id)
        .setDistrictId("d1")
        .setSchoolId(school)
        .setCycle("2026-fall")
        .setInstrumentId(INSTRUMENT.id())
        .setInstrumentVersion(INSTRUMENT.version())
        .setRespondentKey(respondent)
        .setRole(role)
        .setSubmittedAt(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(60 * minute))
        .setReceivedAt(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(60 * minute + 5))
        .setAnswers(answers)
        .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
        .build();
  }

  @Test
  void resubmissionRetractsAndRoleChangeWithdrawsTheOldCell() {
    List<SurveySubmission> input = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      input.add(
          submission(
              "t" + i, "lincoln", "key-t" + i, Role.TEACHER, i, Map.of("vision_strategy_1", 3)));
    }
    input.add(
        submission(
            "a0", "lincoln", "key-a0", Role.ADMINISTRATOR, 1, Map.of("vision_strategy_1", 5)));
    input.add(
        submission(
            "a0-again", "lincoln", "key-a0", Role.TEACHER, 30, Map.of("vision_strategy_1", 1)));
    input.add(input.get(0));

    Map<String, ScaleScore> state = stream(input);

    ScaleScore teachers = state.get("d1|lincoln|2026-fall|CTD|vision_strategy|TEACHER");
    assertThat(teachers.getN()).isEqualTo(7);
    assertThat(teachers.getMean()).isEqualTo((6 * 3 + 1) / 7.0);
    assertThat(state).doesNotContainKey("d1|lincoln|2026-fall|CTD|vision_strategy|ADMINISTRATOR");
    assertMatchesOracle(input);
  }

  @Property(tries = 40)
  void anyArrivalOrderGivesTheBatchResult(@ForAll long seed) {
    Random random = new Random(seed);
    List<SurveySubmission> input = new ArrayList<>();
    int id = 0;
    for (String school : List.of("lincoln", "roosevelt")) {
      int respondents = random.nextInt(14);
      for (int r = 0; r < respondents; r++) {
        String key = random.nextInt(6) == 0 ? null : school + "-r" + r;
        int versions = 1 + (key == null ? 0 : random.nextInt(3));
        for (int v = 0; v < versions; v++) {
          Map<String, Integer> answers = new HashMap<>();
          for (String item : ITEMS) {
            if (random.nextInt(4) != 0) {
              answers.put(item, 1 + random.nextInt(5));
            }
          }
          SurveySubmission s =
              submission(
                  "s" + id++,
                  school,
                  key,
                  ROLES[random.nextInt(ROLES.length)],
                  random.nextInt(10_000),
                  answers);
          input.add(s);
          if (random.nextInt(8) == 0) {
            input.add(s);
          }
        }
      }
    }
    Collections.shuffle(input, random);
    assertMatchesOracle(input);
  }

  @Test
  void topologyDescriptionIsPinned() throws Exception {
    String described =
        topology(Map.of(RegistryClientConfig.URL, "mock://describe")).describe().toString();
    Path pinned = Path.of("src/test/resources/topology-description.txt");
    assertThat(described)
        .as(
            "processor, store and topic names are part of the contract: update %s deliberately",
            pinned)
        .isEqualTo(Files.readString(pinned));
  }
}

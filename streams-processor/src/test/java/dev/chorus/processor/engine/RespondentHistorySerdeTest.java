package dev.chorus.processor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.Role;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.processor.Scenarios;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class RespondentHistorySerdeTest {

  private static final String TOPIC = "chorus.submissions";

  private final AvroSerde<SurveySubmission> submissions =
      AvroSerde.specific(SurveySubmission.class)
          .configured(
              Map.of(RegistryClientConfig.URL, "mock://history-serde-" + UUID.randomUUID()), false);
  private final RespondentHistorySerde serde = new RespondentHistorySerde(submissions, TOPIC);

  private static SurveySubmission submission(String id, int day, int answer) {
    return Scenarios.submission(
        id,
        "lincoln",
        "2026-fall",
        "k1",
        Role.TEACHER,
        day,
        0,
        Map.of(Scenarios.ITEMS.get(0), answer),
        List.of());
  }

  @Test
  void storesReceivedBytesAsTheyAreAndReadsEveryEntryBack() {
    Serializer<SurveySubmission> wire = submissions.serializer();
    SurveySubmission first = submission("s1", 0, 2);
    SurveySubmission second = submission("s2", 3, 4);
    byte[] received = wire.serialize(TOPIC, second);
    // One entry encoded by the serde (e.g. a parked submission), one stored as received.
    RespondentHistory history =
        RespondentHistory.of(new RespondentHistory.Entry(first, true))
            .with(new RespondentHistory.Entry(second, false, received));

    byte[] stored = serde.serializer().serialize("changelog", history);
    RespondentHistory read = serde.deserializer().deserialize("changelog", stored);

    assertThat(read).isEqualTo(history);
    assertThat(read.entries())
        .extracting(RespondentHistory.Entry::rolling)
        .containsExactly(true, false);
    assertThat(read.entries().get(1).wire()).isEqualTo(received);
    assertThat(read.entries().get(0).wire()).isEqualTo(wire.serialize(TOPIC, first));
    // Read back and stored again (a resubmission's history): the same bytes.
    assertThat(serde.serializer().serialize("changelog", read)).isEqualTo(stored);
  }
}

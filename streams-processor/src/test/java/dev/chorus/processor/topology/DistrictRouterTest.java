package dev.chorus.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.Role;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.kafka.DistrictPartitions;
import dev.chorus.processor.Scenarios;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Which submissions skip the repartition hop, whatever the mix of producers. */
class DistrictRouterTest {

  private static final String TOPIC = "chorus.submissions";
  private static final int PARTITIONS = 6;

  private final Map<String, Object> serde =
      Map.of(RegistryClientConfig.URL, "mock://district-router-" + UUID.randomUUID());

  @Test
  void onlySubmissionsOnTheirDistrictsPartitionGoStraightToTheMetrics() {
    Serializer<SurveySubmission> serializer =
        AvroSerde.specific(SurveySubmission.class).configured(serde, false).serializer();
    ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry());
    DistrictRouter router =
        new DistrictRouter(
            new DistrictOf(serde, TOPIC),
            AvroSerde.specific(SurveySubmission.class).configured(serde, false).deserializer(),
            TOPIC,
            PARTITIONS,
            metrics);
    MockProcessorContext<String, DistrictRouter.Located> context = new MockProcessorContext<>();
    router.init(context);

    // Runs of submissions at home and elsewhere, in random order: a producer partitioning by
    // district and one hashing the school key writing to the same partition.
    Random random = new Random(5);
    List<Boolean> sentHome = new ArrayList<>();
    List<SurveySubmission> sent = new ArrayList<>();
    int elsewhere = 0;
    for (int i = 0; i < 300; i++) {
      String district = "district-" + random.nextInt(20);
      SurveySubmission s =
          SurveySubmission.newBuilder(
                  Scenarios.submission(
                      "s" + i,
                      "school-" + i % 7,
                      "c",
                      "r" + i,
                      Role.TEACHER,
                      0,
                      0,
                      Map.of(Scenarios.ITEMS.get(0), 3),
                      List.of()))
              .setDistrictId(district)
              .build();
      boolean home = random.nextInt(3) > 0;
      int partition = DistrictPartitions.of(district, PARTITIONS);
      if (!home) {
        partition = (partition + 1 + random.nextInt(PARTITIONS - 1)) % PARTITIONS;
        elsewhere++;
      }
      context.setRecordMetadata(TOPIC, partition, i);
      router.process(new Record<>(s.getSchoolId(), serializer.serialize(TOPIC, s), i));
      sentHome.add(home);
      sent.add(s);
    }

    var forwarded = context.forwarded();
    assertThat(forwarded).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      var out = forwarded.get(i).record();
      // The bytes go on untouched (stored as they are in the respondent's history).
      assertThat(out.value().bytes()).isEqualTo(serializer.serialize(TOPIC, sent.get(i)));
      assertThat(out.key()).isEqualTo(sent.get(i).getDistrictId());
      if (sentHome.get(i)) {
        assertThat(out.value().submission())
            .as("submission %d is at home", i)
            .isEqualTo(sent.get(i));
      } else {
        assertThat(out.value().submission()).as("submission %d takes the hop", i).isNull();
      }
    }
    assertThat(metrics.reroutedCount()).isEqualTo(elsewhere);
  }
}

package dev.chorus.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.avro.Role;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.processor.Scenarios;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** Reading only {@code district_id} from framed submissions, as the re-keying step does. */
class DistrictOfTest {

  private final Map<String, Object> serde =
      Map.of(RegistryClientConfig.URL, "mock://district-of-" + UUID.randomUUID());

  @Test
  void readsTheDistrictOfEverySubmissionWhenStreamThreadsShareIt() throws Exception {
    Serializer<SurveySubmission> serializer =
        AvroSerde.specific(SurveySubmission.class).configured(serde, false).serializer();
    List<byte[]> framed = new ArrayList<>();
    List<String> districts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      SurveySubmission base =
          Scenarios.submission(
              "s" + i,
              "school",
              "c",
              "r" + i,
              Role.TEACHER,
              0,
              0,
              Map.of(Scenarios.ITEMS.get(0), 3),
              List.of());
      // Districts of different lengths, so a decoder shared by mistake misreads at once.
      SurveySubmission s =
          SurveySubmission.newBuilder(base)
              .setDistrictId("district-" + "x".repeat(i % 17) + i)
              .build();
      framed.add(serializer.serialize("chorus.submissions", s));
      districts.add(s.getDistrictId());
    }
    // One instance serves every stream thread of the topology.
    DistrictOf districtOf = new DistrictOf(serde, "chorus.submissions");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        results.add(
            threads.submit(
                () -> {
                  int read = 0;
                  for (int round = 0; round < 500; round++) {
                    for (int i = 0; i < framed.size(); i++) {
                      int k = (i + offset * 37) % framed.size();
                      assertThat(districtOf.apply(framed.get(k))).isEqualTo(districts.get(k));
                      read++;
                    }
                  }
                  return read;
                }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get()).isEqualTo(500 * framed.size());
      }
    } finally {
      threads.shutdownNow();
    }
  }
}

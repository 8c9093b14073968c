package dev.chorus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class DistrictPartitionsTest {

  /**
   * The processor's repartition sink places a district where Kafka's default partitioning puts the
   * district id as a String key; producers must agree with it exactly, or every submission takes
   * the repartition hop.
   */
  @Property(tries = 500)
  void agreesWithKafkasKeyPartitioning(
      @ForAll String districtId, @ForAll @IntRange(min = 1, max = 64) int partitions) {
    assertThat(DistrictPartitions.of(districtId, partitions))
        .isEqualTo(
            BuiltInPartitioner.partitionForKey(
                districtId.getBytes(StandardCharsets.UTF_8), partitions));
  }

  @Test
  void spreadsDistrictsOverPartitions() {
    int[] seen = new int[6];
    for (int d = 0; d < 600; d++) {
      seen[DistrictPartitions.of("district-" + d, 6)]++;
    }
    assertThat(java.util.Arrays.stream(seen).boxed())
        .allSatisfy(n -> assertThat(n).isBetween(60, 140));
  }

  @Test
  void rejectsNoPartitions() {
    assertThatThrownBy(() -> DistrictPartitions.of("d1", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

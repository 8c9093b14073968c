package dev.chorus.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where a district's submissions live: the partition Kafka's default partitioning gives the
 * district id as a String key (murmur2 of its UTF-8 bytes), which is also where the processor's
 * by-district repartition topic puts them. Producers that place every submission on its district's
 * partition (the key stays the school) spare the processor that repartition hop: a submission
 * already on its district's partition goes straight to the metrics.
 */
public final class DistrictPartitions {

  private DistrictPartitions() {}

  /** The partition of {@code districtId} among {@code partitions}. */
  public static int of(String districtId, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    byte[] bytes = districtId.getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % partitions;
  }
}

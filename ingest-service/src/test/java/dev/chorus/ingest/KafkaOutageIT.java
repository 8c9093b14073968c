package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.serde.AvroSerde;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka stops in the middle of an upload: the receipt must count only what Kafka acknowledged, and
 * exactly those rows must be on the topic afterwards.
 */
@ChorusIntegrationTest
class KafkaOutageIT {

  private static final int ROWS = 40_000;

  @Test
  void receiptNeverOverReports(ChorusStack stack, @TempDir Path dir) throws Exception {
    assumeTrue(stack.supportsRestarts(), "Kafka outages are simulated with the local stack");
    String prefix = "o" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (IngestFixture ingest =
        new IngestFixture(stack, dir, prefix, Map.of("CHORUS_DELIVERY_TIMEOUT_MS", "4000"))) {
      ingest.schools(IngestFixture.NORTH, IngestFixture.NORTH_ADMIN, "s1");
      InputStream body = new SlowCsv(ROWS);
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(ingest.url("/v1/districts/north/uploads?cycle=2026-outage")))
              .header("Authorization", "Bearer " + IngestFixture.NORTH_SUBMIT)
              .header("Content-Type", "text/csv")
              .timeout(Duration.ofMinutes(3))
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
              .build();
      var pending =
          HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
      // Stop Kafka only once the service has had rows acknowledged, so the outage is mid-upload.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (acceptedSoFar(ingest) < 2_000 && System.nanoTime() < deadline && !pending.isDone()) {
        Thread.sleep(50);
      }
      stack.stopKafka();
      HttpResponse<String> response;
      try {
        response = pending.get();
      } finally {
        stack.startKafka();
      }
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      JsonNode receipt = new ObjectMapper().readTree(response.body()).get("receipt");
      long accepted = receipt.get("accepted").asLong();
      assertThat(receipt.get("status").asText()).isEqualTo("partial");
      assertThat(receipt.get("rows_read").asLong()).isEqualTo(ROWS);
      assertThat(accepted + receipt.get("rejected").asLong()).isEqualTo(ROWS);
      assertThat(accepted).isGreaterThanOrEqualTo(2_000).isLessThan(ROWS);
      assertThat(receipt.get("rejections").get(0).get("reasons").get(0).get("code").asText())
          .isEqualTo("NOT_ACKNOWLEDGED");

      long onTopic = countOnTopic(stack, prefix + "submissions", receipt.get("upload_id").asText());
      assertThat(onTopic).as("records on the topic vs accepted in the receipt").isEqualTo(accepted);
    }
  }

  private static double acceptedSoFar(IngestFixture ingest) {
    String metrics = ingest.send("GET", "/metrics", null, null, null).body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("chorus_ingest_rows_total{outcome=\"accepted\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static long countOnTopic(ChorusStack stack, String topic, String uploadId) {
    Map<String, Object> props = stack.kafkaProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    AvroSerde<SurveySubmission> serde =
        AvroSerde.specific(SurveySubmission.class).configured(stack.serdeProperties(), false);
    long count = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long quietSince = System.nanoTime();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline
          && System.nanoTime() - quietSince < Duration.ofSeconds(8).toNanos()) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          quietSince = System.nanoTime();
        }
        for (var r : records) {
          if (uploadId.equals(
              serde.deserializer().deserialize(topic, r.value()).getSource().getUploadId())) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /** A CSV body that arrives slowly (about 4 s in all), like an upload over a real network. */
  private static final class SlowCsv extends InputStream {
    private final int rows;
    private byte[] current =
        "school_id,role,submitted_at,vision_strategy_1,respondent_id\n"
            .getBytes(StandardCharsets.UTF_8);
    private int position;
    private int row;

    SlowCsv(int rows) {
      this.rows = rows;
    }

    @Override
    public int read() throws IOException {
      if (position == current.length) {
        if (row == rows) {
          return -1;
        }
        row++;
        if (row % 1_000 == 0) {
          sleep();
        }
        current =
            ("s1,Teacher,2026-10-01T10:00:00Z," + (1 + row % 5) + ",r" + row + "@x.org\n")
                .getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      return current[position++] & 0xff;
    }

    private static void sleep() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

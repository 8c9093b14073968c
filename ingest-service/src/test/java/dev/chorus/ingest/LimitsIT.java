package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size limits answer 413 and per-token rate limits answer 429, both as problem details. */
@ChorusIntegrationTest
class LimitsIT {

  @Test
  void oversizedBodiesAndTooManyRequests(ChorusStack stack, @TempDir Path dir) {
    String prefix = "l" + UUID.randomUUID().toString().substring(0, 8) + ".";
    try (IngestFixture ingest =
        new IngestFixture(
            stack,
            dir,
            prefix,
            Map.of("CHORUS_MAX_JSON_BYTES", "1000", "CHORUS_MAX_UPLOAD_BYTES", "2000"))) {
      HttpResponse<String> json =
          ingest.send(
              "POST",
              "/v1/districts/north/submissions",
              IngestFixture.NORTH_SUBMIT,
              "application/json",
              "{\"answers\": {\"x\": \"" + "y".repeat(2000) + "\"}}");
      assertThat(json.statusCode()).isEqualTo(413);
      assertThat(json.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      HttpResponse<String> csv =
          ingest.send(
              "POST",
              "/v1/districts/north/uploads?cycle=c",
              IngestFixture.NORTH_SUBMIT,
              "text/csv",
              "school_id,role,submitted_at\n" + "s1,Teacher,2026-10-01\n".repeat(200));
      assertThat(csv.statusCode()).isEqualTo(413);

      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> last = null;
      for (int i = 0; i < 5; i++) {
        last =
            ingest.send(
                "GET", "/v1/districts/south/mappings", IngestFixture.SOUTH_ADMIN, null, null);
        statuses.add(last.statusCode());
      }
      assertThat(statuses).startsWith(200, 200, 200).endsWith(429);
      assertThat(last.headers().firstValue("Retry-After")).isPresent();
    }
  }
}

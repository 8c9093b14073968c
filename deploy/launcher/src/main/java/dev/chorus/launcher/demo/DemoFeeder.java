package dev.chorus.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.launcher.IngestClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends a generated district through the ingest API the way a district would: the school directory,
 * the rosters, then every export and JSON batch in order, reading each receipt.
 */
public final class DemoFeeder {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the ingest service said about everything sent. */
  public record Fed(long accepted, long rejected) {}

  private final IngestClient ingest;

  /**
   * @param ingestUrl e.g. {@code http://127.0.0.1:8080}
   * @param token a token allowed to write the demo district
   */
  public DemoFeeder(String ingestUrl, String token) {
    this.ingest = new IngestClient(ingestUrl, DemoGenerator.DISTRICT, token);
  }

  /** Sends everything; prints one line per file to {@code out}. */
  public Fed feed(DemoGenerator.Demo demo, PrintStream out)
      throws IOException, InterruptedException {
    List<Map<String, String>> schools = new ArrayList<>();
    for (DemoGenerator.School s : demo.schools()) {
      schools.add(Map.of("id", s.id(), "name", s.name()));
    }
    send("PUT", "schools", "application/json", JSON.writeValueAsString(Map.of("schools", schools)));
    for (var roster : demo.rosters().entrySet()) {
      send(
          "PUT",
          "rosters/" + roster.getKey(),
          "application/json",
          JSON.writeValueAsString(Map.of("schools", roster.getValue())));
    }
    out.printf("  directory of %d schools and the rosters of 2 cycles%n", demo.schools().size());
    long accepted = 0;
    long rejected = 0;
    for (DemoGenerator.Delivery d : demo.deliveries()) {
      JsonNode receipt;
      String line;
      if (d.upload()) {
        receipt =
            send(
                "POST",
                "uploads?cycle="
                    + URLEncoder.encode(d.cycle(), StandardCharsets.UTF_8)
                    + "&mapping="
                    + d.mapping(),
                "text/csv",
                d.body());
        accepted += receipt.path("accepted").asLong();
        rejected += receipt.path("rejected").asLong();
        line =
            String.format(
                "%-45s %-13s %4d rows: %4d accepted, %d rejected",
                d.name(),
                d.mapping(),
                receipt.path("rows_read").asLong(),
                receipt.path("accepted").asLong(),
                receipt.path("rejected").asLong());
        for (JsonNode r : receipt.path("rejections")) {
          JsonNode reason = r.path("reasons").path(0);
          line +=
              String.format(
                  "%n      row %d: %s (%s)",
                  r.path("row").asLong(),
                  reason.path("code").asText(),
                  reason.path("message").asText());
        }
      } else {
        receipt = send("POST", "submissions", "application/x-ndjson", d.body());
        long ok = receipt.path("accepted").asLong();
        long bad = receipt.path("rejected").asLong();
        accepted += ok;
        rejected += bad;
        line =
            String.format(
                "%-45s %-13s %4d JSON submissions: %d accepted, %d rejected",
                d.name(), "api", ok + bad, ok, bad);
      }
      out.println("  " + line);
    }
    return new Fed(accepted, rejected);
  }

  private JsonNode send(String method, String path, String contentType, String body)
      throws IOException, InterruptedException {
    String response = ingest.send(method, path, contentType, body);
    return response.isBlank() ? JSON.createObjectNode() : JSON.readTree(response);
  }
}

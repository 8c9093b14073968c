package dev.chorus.ingest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * {@code ./chorus upload FILE --district D --cycle C [--instrument I] [--mapping M]}: streams a
 * survey export to the ingest service with a progress bar and prints the receipt. Exits 0 when the
 * number of rejected rows is within {@code --max-rejected} (default 0), 1 when above it, 2 on usage
 * errors, 3 when the service refused the upload.
 */
public final class UploadCommand {

  static final String USAGE =
      """
      Usage: ./chorus upload FILE --district D --cycle C [options]

        --instrument I       instrument id or id@version (default: collective-leadership, latest)
        --mapping M          column mapping: generic, google-forms, qualtrics or your own (default generic)
        --url URL            ingest service (default $CHORUS_INGEST_URL or http://127.0.0.1:8080)
        --token T            bearer token (default $CHORUS_TOKEN)
        --max-rejected N     exit 1 when more than N rows are rejected (default 0)
        --idempotency-key K  make a retried upload return the original receipt
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  public UploadCommand(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(new UploadCommand(System.out, System.err, System.getenv()).run(args));
  }

  /** Runs the command; returns the exit code. */
  public int run(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          return usage("option " + args[i] + " needs a value");
        }
        options.put(args[i].substring(2), args[++i]);
      } else if (file == null) {
        file = Path.of(args[i]);
      } else {
        return usage("unexpected argument '" + args[i] + "'");
      }
    }
    for (String option : options.keySet()) {
      if (!Map.of(
              "district",
              1,
              "cycle",
              1,
              "instrument",
              1,
              "mapping",
              1,
              "url",
              1,
              "token",
              1,
              "max-rejected",
              1,
              "idempotency-key",
              1)
          .containsKey(option)) {
        return usage("unknown option --" + option);
      }
    }
    if (file == null || !Files.isRegularFile(file)) {
      return usage(file == null ? "FILE is required" : "no such file: " + file);
    }
    String district = options.get("district");
    String cycle = options.get("cycle");
    if (district == null || cycle == null) {
      return usage("--district and --cycle are required");
    }
    String token = options.getOrDefault("token", env.get("CHORUS_TOKEN"));
    if (token == null || token.isBlank()) {
      return usage("a token is required: --token T or CHORUS_TOKEN");
    }
    long maxRejected;
    try {
      maxRejected = Long.parseLong(options.getOrDefault("max-rejected", "0"));
    } catch (NumberFormatException e) {
      return usage("--max-rejected must be a whole number");
    }
    String base =
        options.getOrDefault("url", env.getOrDefault("CHORUS_INGEST_URL", "http://127.0.0.1:8080"));
    StringBuilder query = new StringBuilder("cycle=").append(encode(cycle));
    if (options.containsKey("instrument")) {
      query.append("&instrument=").append(encode(options.get("instrument")));
    }
    query.append("&mapping=").append(encode(options.getOrDefault("mapping", "generic")));
    URI uri =
        URI.create(
            base.replaceAll("/+$", "") + "/v1/districts/" + encode(district) + "/uploads?" + query);
    try {
      return upload(file, uri, token, options.get("idempotency-key"), maxRejected);
    } catch (IOException e) {
      err.println(
          "upload failed: " + e.getMessage() + " (is the ingest service running at " + base + "?)");
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return 3;
    }
  }

  private int upload(Path file, URI uri, String token, String idempotencyKey, long maxRejected)
      throws IOException, InterruptedException {
    long size = Files.size(file);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "text/csv")
            .timeout(Duration.ofHours(2));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response;
    try (ProgressBar progress =
        new ProgressBarBuilder()
            .setTaskName("Uploading " + file.getFileName())
            .setInitialMax(size)
            .setUnit(" MiB", 1 << 20)
            .showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .build()) {
      request.POST(
          HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size));
      response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      err.println("HTTP " + response.statusCode() + ": " + response.body());
      return 3;
    }
    JsonNode receipt = body.has("rows_read") ? body : body.get("receipt");
    if (receipt == null) {
      err.println(
          "Upload refused (HTTP "
              + response.statusCode()
              + "): "
              + body.path("title").asText()
              + " - "
              + body.path("detail").asText());
      body.path("errors")
          .forEach(
              e ->
                  err.println(
                      "  - " + e.path("pointer").asText("") + " " + e.path("detail").asText()));
      return 3;
    }
    printReceipt(receipt);
    if (response.statusCode() >= 400) {
      err.println("HTTP " + response.statusCode() + ": " + body.path("detail").asText());
      return 3;
    }
    long rejected = receipt.path("rejected").asLong();
    if (rejected > maxRejected) {
      err.println(rejected + " row(s) rejected, more than --max-rejected " + maxRejected);
      return 1;
    }
    return 0;
  }

  private void printReceipt(JsonNode receipt) {
    out.printf(
        "Upload %s (%s, cycle %s, mapping %s): %s%n",
        receipt.path("upload_id").asText(),
        receipt.path("district_id").asText(),
        receipt.path("cycle").asText(),
        receipt.path("mapping_id").asText(),
        receipt.path("status").asText());
    out.printf(
        "  rows read %,d   accepted %,d   rejected %,d%n",
        receipt.path("rows_read").asLong(),
        receipt.path("accepted").asLong(),
        receipt.path("rejected").asLong());
    if (receipt.path("ignored_columns").size() > 0) {
      out.println("  ignored columns: " + receipt.path("ignored_columns"));
    }
    Map<String, Integer> byCode = new TreeMap<>();
    receipt
        .path("rejections")
        .forEach(
            r ->
                r.path("reasons")
                    .forEach(
                        reason -> byCode.merge(reason.path("code").asText(), 1, Integer::sum)));
    if (!byCode.isEmpty()) {
      out.println(
          "  reasons (first " + receipt.path("rejections").size() + " rejected rows): " + byCode);
      int shown = 0;
      for (JsonNode r : receipt.path("rejections")) {
        if (shown++ == 10) {
          break;
        }
        JsonNode first = r.path("reasons").path(0);
        out.printf(
            "    row %d: %s %s%s%n",
            r.path("row").asLong(),
            first.path("code").asText(),
            first.path("column").isTextual() ? "[" + first.path("column").asText() + "] " : "",
            first.path("message").asText());
      }
      out.println(
          "  all rejected rows: GET /v1/uploads/"
              + receipt.path("upload_id").asText()
              + "/rejections");
    }
  }

  private static InputStream counting(Path file, ProgressBar progress) {
    try {
      return new FilterInputStream(Files.newInputStream(file)) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            progress.stepBy(n);
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private int usage(String problem) {
    err.println("chorus upload: " + problem);
    err.print(USAGE);
    return 2;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

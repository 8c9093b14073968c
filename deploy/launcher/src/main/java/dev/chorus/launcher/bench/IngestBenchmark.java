package dev.chorus.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.launcher.LocalDistricts;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.Ports;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./chorus bench ingest [--rows N] [--runs R]}: CSV upload throughput end to end (HTTP,
 * parse, validate, pseudonymize, Avro, Kafka {@code acks=all} acknowledgement), with the ingest
 * service in its own JVM capped at {@code -Xmx256m}. Prints rows/s and the ingest process's peak
 * RSS and heap; a benchmark, never a test. One warm-up upload runs first and is reported apart.
 */
public final class IngestBenchmark {

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = 1_000_000;
    int runs = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + " (--rows N, --runs R)");
      }
    }
    Path work = Files.createTempDirectory("chorus-bench-");
    Path csv = work.resolve("export.csv");
    int schools = 12;
    long bytes = generate(csv, rows, schools, InstrumentLoader.defaultInstrument());
    System.out.printf("Generated %,d rows (%.1f MiB) in %s%n", rows, bytes / 1048576.0, csv);
    LocalStackConfig config =
        new LocalStackConfig(work.resolve("stack"), work, 0, 0, 0, 0, 0, false, List.of());
    try (LocalStack stack = LocalStack.start(config)) {
      var districts = LocalDistricts.ensure(work.resolve("ingest"));
      int port = Ports.resolve(0);
      Process ingest = startIngest(stack, districts.districtsFile(), work.resolve("ingest"), port);
      try {
        String base = "http://127.0.0.1:" + port;
        BenchSupport.awaitOk(base + "/health/ready", ingest, "the ingest service");
        String schoolList =
            String.join(
                ",",
                java.util.stream.IntStream.range(0, schools)
                    .mapToObj(s -> "{\"id\":\"s" + s + "\"}")
                    .toList());
        BenchSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/districts/demo/schools"))
                .header("Authorization", "Bearer " + districts.token())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"schools\":[" + schoolList + "]}"))
                .build());
        List<Double> rates = new ArrayList<>();
        // A warm-up upload (reported, not counted) lets the JIT compile the hot path first.
        for (int run = 0; run <= runs; run++) {
          long start = System.nanoTime();
          HttpResponse<String> response =
              BenchSupport.send(
                  HttpRequest.newBuilder(
                          URI.create(base + "/v1/districts/demo/uploads?cycle=bench-" + run))
                      .header("Authorization", "Bearer " + districts.token())
                      .header("Content-Type", "text/csv")
                      .timeout(Duration.ofMinutes(30))
                      .POST(HttpRequest.BodyPublishers.ofFile(csv))
                      .build());
          double seconds = (System.nanoTime() - start) / 1e9;
          JsonNode receipt = new ObjectMapper().readTree(response.body());
          if (response.statusCode() != 200 || receipt.path("accepted").asLong() != rows) {
            throw new IllegalStateException(
                "unexpected receipt (HTTP "
                    + response.statusCode()
                    + "): "
                    + response.body().substring(0, Math.min(500, response.body().length())));
          }
          double rate = rows / seconds;
          if (run > 0) {
            rates.add(rate);
          }
          System.out.printf(
              "%s: %,d rows accepted (acks=all) in %.2f s = %,.0f rows/s%n",
              run == 0 ? "Warm-up (not counted)" : "Run " + run, rows, seconds, rate);
        }
        String peakRss = BenchSupport.peakRss(ingest.pid());
        String heap =
            String.format(
                "%.0f",
                BenchSupport.metric(base + "/metrics", "jvm_memory_used_bytes{area=\"heap\"")
                    / 1048576);
        System.out.printf(
            "%nIngest benchmark, %s: %,d rows x %d runs; best %,.0f rows/s, median %,.0f rows/s.%n"
                + "Ingest process (-Xmx256m): peak RSS %s, heap in use after the runs %s MiB.%n",
            Instant.now(),
            rows,
            runs,
            rates.stream().mapToDouble(d -> d).max().orElse(0),
            rates.stream().sorted().toList().get(rates.size() / 2),
            peakRss,
            heap);
      } finally {
        BenchSupport.stop(ingest);
      }
    } finally {
      BenchSupport.deleteTree(work);
    }
  }

  private static Process startIngest(LocalStack stack, Path districts, Path dataDir, int port)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("CHORUS_INGEST_PORT", Integer.toString(port));
    env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
    env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.registry().url());
    env.put("CHORUS_INGEST_DATA_DIR", dataDir.toString());
    env.put("CHORUS_DISTRICTS_FILE", districts.toString());
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
    // Throughput collector, as recommended for the service (docs/operators.md).
    jvm.addAll(BenchSupport.jvmOptions("CHORUS_BENCH_INGEST_JVM_OPTS", "-XX:+UseParallelGC"));
    return BenchSupport.java(
        "dev.chorus.ingest.IngestService",
        env,
        dataDir.resolve("ingest.log"),
        jvm.toArray(String[]::new));
  }

  /**
   * A realistic export: 42 agreement items (about 35 answered), 14 influence ratings, reflection.
   */
  static long generate(Path file, int rows, int schools, Instrument instrument) throws IOException {
    List<String> items = instrument.items().stream().map(Instrument.Item::id).toList();
    List<String> influence = new ArrayList<>();
    for (String area : List.of("budget_resources", "professional_learning")) {
      for (Instrument.Group group : instrument.groups()) {
        influence.add("influence." + area + "." + group.id());
      }
    }
    String[] roles = {
      "Teacher",
      "Teacher",
      "Teacher",
      "Teacher",
      "Paraprofessional",
      "Counselor",
      "Principal",
      "Other staff"
    };
    SplittableRandom random = new SplittableRandom(42);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(
          "school_id,respondent_id,role,submitted_at,"
              + String.join(",", items)
              + ","
              + String.join(",", influence)
              + ",reflection.shaped_by\n");
      StringBuilder row = new StringBuilder(512);
      for (int r = 0; r < rows; r++) {
        row.setLength(0);
        row.append('s')
            .append(r % schools)
            .append(",staff")
            .append(r)
            .append("@district.example,")
            .append(roles[random.nextInt(roles.length)])
            .append(",2026-10-")
            .append(String.format("%02d", 1 + random.nextInt(28)))
            .append("T10:00:00Z");
        for (int i = 0; i < items.size(); i++) {
          row.append(',');
          if (random.nextInt(6) != 0) {
            row.append(1 + random.nextInt(5));
          }
        }
        for (int i = 0; i < influence.size(); i++) {
          row.append(',').append(1 + random.nextInt(4));
        }
        row.append(",\"administrators;teachers\"\n");
        out.append(row);
      }
    }
    return Files.size(file);
  }
}

package dev.chorus.launcher.bench;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.launcher.LocalDistricts;
import dev.chorus.launcher.LocalPipeline;
import dev.chorus.launcher.ReportingReader;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.Ports;
import dev.chorus.local.clickhouse.ChdbEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code ./chorus bench freshness [--rate R] [--seconds S] [--schools N]}: end-to-end freshness of
 * the whole local pipeline (ingest, processor, sink, ClickHouse, one JVM as {@code ./chorus up}
 * runs it). Submissions are posted to the ingest API at a steady rate; a poller reads the
 * current-scores view as the analyst every 20 ms. A school's k-th submission is visible once the
 * view shows n &ge; k for it (each school's submissions are sent one after another, and keep their
 * order through Kafka). Reports percentiles of visible − acknowledged. Not a test.
 */
public final class FreshnessBenchmark {

  private static final int SENDERS = 10;
  private static final int WARM_UP_SECONDS = 10;

  private FreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = 500;
    int seconds = 60;
    int schools = 20;
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--schools" -> schools = Integer.parseInt(args[i + 1]);
        case "--emit-ms" -> env.put("CHORUS_EMIT_INTERVAL_MS", args[i + 1]);
        case "--sink-age-ms" -> env.put("CHORUS_SINK_BATCH_MAX_AGE_MS", args[i + 1]);
        case "--commit-ms" -> env.put("CHORUS_STREAMS_COMMIT_INTERVAL_MS", args[i + 1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + " (--rate R, --seconds S, --schools N, --emit-ms M, --sink-age-ms M,"
                    + " --commit-ms M)");
      }
    }
    Path work = Files.createTempDirectory("chorus-bench-freshness-");
    env.put("CHORUS_PROCESSOR_HTTP_PORT", "0");
    env.put("CHORUS_SINK_HTTP_PORT", "0");
    LocalStackConfig config =
        new LocalStackConfig(
            work.resolve("stack"), ChdbEngine.defaultCacheDir(), 0, 0, 0, 0, 0, true, List.of());
    int ingestPort = Ports.resolve(0);
    try (LocalPipeline pipeline = LocalPipeline.start(config, Integer.toString(ingestPort), env)) {
      String ingest = "http://127.0.0.1:" + ingestPort;
      String token = pipeline.districts().token();
      String district = LocalDistricts.DISTRICT;
      HttpClient http = HttpClient.newHttpClient();
      StringBuilder directory = new StringBuilder("{\"schools\":[");
      for (int s = 0; s < schools; s++) {
        directory.append(s == 0 ? "" : ",").append("{\"id\":\"school-").append(s);
        directory.append("\",\"name\":\"School ").append(s).append("\"}");
      }
      directory.append("]}");
      send(
          http,
          HttpRequest.newBuilder(URI.create(ingest + "/v1/districts/" + district + "/schools"))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(directory.toString()))
              .build());

      int total = rate * seconds;
      AtomicLongArray acked = new AtomicLongArray(total);
      int[] schoolOf = new int[total];
      int[] kOf = new int[total];
      int[] sent = new int[schools];
      for (int i = 0; i < total; i++) {
        schoolOf[i] = i % schools;
        kOf[i] = ++sent[i % schools];
      }
      String answers = answers(InstrumentLoader.defaultInstrument());
      long[] visible = new long[total];
      Arrays.fill(visible, -1);
      AtomicBoolean sending = new AtomicBoolean(true);
      ReportingReader reporting =
          new ReportingReader(
              pipeline.stack().clickhouseHttpUrl(),
              pipeline.analyst().user(),
              pipeline.analyst().password());
      int schoolCount = schools;
      Thread poller =
          new Thread(
              () -> poll(reporting, district, schoolCount, schoolOf, kOf, acked, visible, sending),
              "freshness-poller");
      poller.start();

      long start = System.nanoTime();
      long intervalNanos = 1_000_000_000L * SENDERS / rate;
      List<Thread> senders = new ArrayList<>();
      int perSchoolsGroup = SENDERS;
      for (int t = 0; t < SENDERS; t++) {
        int thread = t;
        Thread sender =
            new Thread(
                () -> {
                  long next = start + thread * intervalNanos / SENDERS;
                  for (int i = thread; i < total; i += perSchoolsGroup) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    next += intervalNanos;
                    String body =
                        "{\"school_id\":\"school-"
                            + schoolOf[i]
                            + "\",\"cycle\":\"bench\",\"respondent_id\":\"r-"
                            + i
                            + "\",\"role\":\"TEACHER\",\"submitted_at\":\""
                            + Instant.now()
                            + "\",\"answers\":"
                            + answers
                            + "}";
                    try {
                      send(
                          http,
                          HttpRequest.newBuilder(
                                  URI.create(ingest + "/v1/districts/" + district + "/submissions"))
                              .header("Authorization", "Bearer " + token)
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(body))
                              .build());
                    } catch (Exception e) {
                      throw new IllegalStateException("submission " + i + " failed", e);
                    }
                    acked.set(i, System.nanoTime());
                  }
                },
                "sender-" + t);
        senders.add(sender);
        sender.start();
      }
      for (Thread sender : senders) {
        sender.join();
      }
      double sendSeconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(15_000);
      sending.set(false);
      poller.join();
      env.remove("CHORUS_PROCESSOR_HTTP_PORT");
      env.remove("CHORUS_SINK_HTTP_PORT");
      report(env.toString(), total, sendSeconds, start, acked, visible, kOf);
    } finally {
      BenchSupport.deleteTree(work);
    }
  }

  private static void poll(
      ReportingReader reporting,
      String district,
      int schools,
      int[] schoolOf,
      int[] kOf,
      AtomicLongArray acked,
      long[] visible,
      AtomicBoolean sending) {
    String sql =
        "SELECT school_id, n FROM "
            + ReportingModel.REPORTING_DATABASE
            + ".current_scores WHERE district_id = '"
            + district
            + "' AND cycle = 'bench' AND scale_id = 'vision_strategy' AND role_group = 'ALL'"
            + " AND cohort = '' AND scope = 'school' AND n IS NOT NULL";
    int[] seen = new int[schools];
    int nextUnseen = 0;
    while (sending.get()) {
      List<Map<String, String>> rows;
      try {
        rows = reporting.rows(sql);
      } catch (IllegalStateException e) {
        rows = null; // ClickHouse busy or answering an error: poll again
      }
      long now = System.nanoTime();
      if (rows != null) {
        for (Map<String, String> row : rows) {
          int school = Integer.parseInt(row.get("school_id").substring("school-".length()));
          seen[school] = Math.max(seen[school], Integer.parseInt(row.get("n")));
        }
        for (int i = nextUnseen; i < visible.length; i++) {
          if (visible[i] < 0 && acked.get(i) != 0 && seen[schoolOf[i]] >= kOf[i]) {
            visible[i] = now;
          }
        }
        while (nextUnseen < visible.length && visible[nextUnseen] >= 0) {
          nextUnseen++;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void report(
      String settings,
      int total,
      double sendSeconds,
      long start,
      AtomicLongArray acked,
      long[] visible,
      int[] kOf) {
    List<Long> latencies = new ArrayList<>();
    int missing = 0;
    long warmUp = start + WARM_UP_SECONDS * 1_000_000_000L;
    for (int i = 0; i < total; i++) {
      // n is suppressed below k_min: the first four of each school never show a count.
      if (kOf[i] < 5 || acked.get(i) < warmUp) {
        continue;
      }
      if (visible[i] < 0) {
        missing++;
        continue;
      }
      latencies.add(Math.max(0, visible[i] - acked.get(i)));
    }
    latencies.sort(Long::compare);
    System.out.printf("Settings: %s%n", settings.isEmpty() ? "defaults" : settings);
    System.out.printf(
        "Sent %,d submissions in %.1f s (%,.0f/s, each acknowledged by the ingest API)%n",
        total, sendSeconds, total / sendSeconds);
    System.out.printf(
        "Freshness, acknowledgement -> visible in %s.current_scores (%,d measured after a %d s"
            + " warm-up, %d never seen):%n  p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n",
        ReportingModel.REPORTING_DATABASE,
        latencies.size(),
        WARM_UP_SECONDS,
        missing,
        pct(latencies, 0.50),
        pct(latencies, 0.95),
        pct(latencies, 0.99),
        latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1) / 1_000_000);
  }

  private static long pct(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1_000_000;
  }

  /** Every item of {@code instrument} answered just above its scale's middle, as a JSON object. */
  public static String answers(Instrument instrument) {
    Map<String, Instrument.AnswerScale> scales = new HashMap<>();
    instrument.answerScales().forEach(s -> scales.put(s.id(), s));
    StringBuilder json = new StringBuilder("{");
    for (Instrument.Item item : instrument.items()) {
      Instrument.AnswerScale scale = scales.get(item.answerScale());
      json.append(json.length() == 1 ? "" : ",");
      json.append('"').append(item.id()).append("\":").append((scale.min() + scale.max()) / 2 + 1);
    }
    return json.append('}').toString();
  }

  private static void send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }
}

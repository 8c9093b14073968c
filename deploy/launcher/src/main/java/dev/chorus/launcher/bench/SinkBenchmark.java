package dev.chorus.launcher.bench;

import com.clickhouse.client.api.Client;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ScaleKind;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.Suppression;
import dev.chorus.avro.SuppressionReason;
import dev.chorus.avro.WindowKind;
import dev.chorus.avro.WindowSpec;
import dev.chorus.contracts.CellKey;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.contracts.ReportingModel;
import dev.chorus.kafka.TopicCreator;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.Ports;
import dev.chorus.local.clickhouse.ClickHouseUsers;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.serde.AvroSerde;
import dev.chorus.sink.SinkTables;
import dev.chorus.sink.TableBuffer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./chorus bench sink [--rows N] [--batch B]}: the ClickHouse sink's throughput (Kafka
 * consume, Avro decode, row mapping, RowBinary through the official client, offset commits) in its
 * own JVM against the local ClickHouse, next to a raw HTTP RowBinary insert of the same rows in the
 * same run. A benchmark, never a test.
 */
public final class SinkBenchmark {

  private static final List<String> SCALES =
      List.of(
          "vision_strategy",
          "supportive_administration",
          "trust_respect",
          "work_structures",
          "resources_time",
          "shared_influence",
          "orientation_improvement",
          "self_identified_leader",
          "interest_in_leading",
          "intent_to_stay",
          "burnout_risk",
          "transparency");
  private static final List<String> ROLES =
      List.of("ALL", "TEACHER", "ADMINISTRATOR", "PARAPROFESSIONAL");

  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = 1_000_000;
    int batch = 50_000;
    String compress = "true";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--compress" -> compress = args[i + 1];
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + " (--rows N, --batch B, --compress true|false)");
      }
    }
    Path work = Files.createTempDirectory("chorus-bench-sink-");
    LocalStackConfig config =
        new LocalStackConfig(
            work.resolve("stack"),
            dev.chorus.local.clickhouse.ChdbEngine.defaultCacheDir(),
            0,
            0,
            0,
            0,
            0,
            true,
            List.of());
    try (LocalStack stack = LocalStack.start(config)) {
      ChorusTopics topics = new ChorusTopics("chorus.");
      String bootstrap = stack.kafka().bootstrapServers();
      TopicCreator.ensure(bootstrap, List.of(TopicCreator.topic(topics.scaleScores(), 6, true)));
      List<ScaleScore> records = generate(rows);
      List<String> keys = new ArrayList<>(rows);
      for (ScaleScore s : records) {
        keys.add(key(s));
      }
      long produceStart = System.nanoTime();
      produce(bootstrap, stack.registry().url(), topics.scaleScores(), keys, records);
      System.out.printf(
          "Wrote %,d scale-score records to %s in %.1f s%n",
          rows, topics.scaleScores(), (System.nanoTime() - produceStart) / 1e9);

      int port = Ports.resolve(0);
      Map<String, String> env = new HashMap<>();
      env.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
      env.put("CHORUS_SCHEMA_REGISTRY_URL", stack.registry().url());
      env.put("CHORUS_CLICKHOUSE_URL", stack.clickhouse().httpUrl());
      env.put("CHORUS_CLICKHOUSE_USER", ReportingModel.WRITER);
      env.put("CHORUS_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_WRITER_PASSWORD);
      env.put("CHORUS_SINK_HTTP_PORT", Integer.toString(port));
      env.put("CHORUS_SINK_BATCH_ROWS", Integer.toString(batch));
      env.put("CHORUS_CLICKHOUSE_COMPRESS", compress);
      Path log = Path.of(System.getProperty("java.io.tmpdir"), "chorus-bench-sink.log");
      System.out.println("Sink log: " + log);
      List<String> jvm =
          BenchSupport.jvmOptions("CHORUS_BENCH_SINK_JVM_OPTS", "-Xmx512m -XX:+UseParallelGC");
      Process sink =
          BenchSupport.java("dev.chorus.sink.SinkApp", env, log, jvm.toArray(String[]::new));
      double sinkSeconds;
      try {
        String base = "http://127.0.0.1:" + port;
        // /health answers once migrations ran and the loop started: time the copy only.
        BenchSupport.awaitOk(base + "/health", sink, "the sink");
        long start = System.nanoTime();
        double done = 0;
        while (done < rows) {
          Thread.sleep(100);
          if (!sink.isAlive()) {
            throw new IllegalStateException("the sink exited; see " + log);
          }
          done = BenchSupport.metric(base + "/metrics", "chorus_sink_rows_written_total{");
        }
        sinkSeconds = (System.nanoTime() - start) / 1e9;
        double insertSeconds =
            BenchSupport.metric(base + "/metrics", "chorus_sink_insert_seconds_sum");
        double inserts = BenchSupport.metric(base + "/metrics", "chorus_sink_insert_seconds_count");
        System.out.printf(
            "  of which ClickHouse inserts: %.0f inserts, %.2f s in all (%.0f ms each)%n",
            inserts, insertSeconds, 1000 * insertSeconds / Math.max(1, inserts));
        System.out.printf(
            "Sink (Kafka -> ClickHouse, batches of %,d, client-v2 RowBinary, compression %s): %,d"
                + " rows in %.2f s = %,.0f rows/s; sink peak RSS %s%n",
            batch,
            compress,
            rows,
            sinkSeconds,
            rows / sinkSeconds,
            BenchSupport.peakRss(sink.pid()));
      } finally {
        BenchSupport.stop(sink);
      }
      raw(stack, topics, keys, records, batch);
    } finally {
      BenchSupport.deleteTree(work);
    }
  }

  /** The same rows, pre-encoded as RowBinary, POSTed to the HTTP interface: the ceiling. */
  private static void raw(
      LocalStack stack, ChorusTopics topics, List<String> keys, List<ScaleScore> records, int batch)
      throws Exception {
    String url = stack.clickhouse().httpUrl();
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (ReportingModel.WRITER + ":" + ClickHouseUsers.LOCAL_WRITER_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
    HttpClient http = HttpClient.newHttpClient();
    post(http, url, auth, "CREATE TABLE chorus.scale_scores_raw AS chorus.scale_scores", null);
    SinkTables.Table<?> table =
        SinkTables.all(topics).stream()
            .filter(t -> t.table().equals("scale_scores"))
            .findFirst()
            .orElseThrow();
    List<byte[]> batches = new ArrayList<>();
    long encodeStart = System.nanoTime();
    try (Client client =
        new Client.Builder()
            .addEndpoint(url)
            .setUsername(ReportingModel.WRITER)
            .setPassword(ClickHouseUsers.LOCAL_WRITER_PASSWORD)
            .build()) {
      TableBuffer buffer =
          new TableBuffer(
              "chorus.scale_scores_raw", client.getTableSchema("scale_scores_raw", "chorus"));
      for (int i = 0; i < records.size(); i++) {
        table.fill(keys.get(i), records.get(i), new SinkTables.Origin(0, i, 0), buffer);
        buffer.commitRow();
        if (buffer.rows() == batch || i == records.size() - 1) {
          batches.add(buffer.take().toByteArray());
        }
      }
    }
    double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
    for (String settings : List.of("", "optimize_on_insert=0")) {
      long start = System.nanoTime();
      long bytes = 0;
      for (byte[] body : batches) {
        post(
            http,
            url + (settings.isEmpty() ? "" : "/?" + settings),
            auth,
            "INSERT INTO chorus.scale_scores_raw FORMAT " + TableBuffer.FORMAT.name(),
            body);
        bytes += body.length;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "Raw HTTP RowBinary insert of the same rows (pre-encoded, %d POSTs of %,d rows, %.0f"
              + " MiB%s): %.2f s = %,.0f rows/s%n",
          batches.size(),
          batch,
          bytes / 1048576.0,
          settings.isEmpty() ? "" : ", " + settings,
          seconds,
          records.size() / seconds);
    }
    System.out.printf(
        "  (encoding them with the sink's mapping took %.2f s = %,.0f rows/s)%n",
        encodeSeconds, records.size() / encodeSeconds);
  }

  private static void post(HttpClient http, String url, String auth, String query, byte[] body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    url
                        + (url.contains("?") ? "&" : "/?")
                        + "query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)))
            .header("Authorization", auth)
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("ClickHouse answered " + response.body());
    }
  }

  /** Realistic rolling-series rows: districts, schools, days, scales and role groups. */
  static List<ScaleScore> generate(int rows) {
    List<ScaleScore> out = new ArrayList<>(rows);
    Instant now = Instant.now();
    LocalDate day0 = LocalDate.of(2026, 8, 1);
    for (int i = 0; i < rows; i++) {
      int role = i % ROLES.size();
      int scale = i / ROLES.size() % SCALES.size();
      int school = i / (ROLES.size() * SCALES.size()) % 40;
      int day = i / (ROLES.size() * SCALES.size() * 40) % 365;
      int district = i / (ROLES.size() * SCALES.size() * 40 * 365);
      int n = 5 + i % 60;
      double mean = 1 + (i % 400) / 100.0;
      MetricCell cell =
          new MetricCell(
              "district-" + district,
              "school-" + school,
              "2026-fall",
              new WindowSpec(WindowKind.ROLLING, 30, day0.plusDays(day)),
              ROLES.get(role),
              null);
      out.add(
          ScaleScore.newBuilder()
              .setCell(cell)
              .setScaleId(SCALES.get(scale))
              .setScaleKind(ScaleKind.CONDITION)
              .setN(n)
              .setMean(mean)
              .setSd(0.8)
              .setScore100((mean - 1) * 25)
              .setPctFavorable(0.5)
              .setSuppression(new Suppression(false, SuppressionReason.NONE, Integer.toString(n)))
              .setBelowResponseGate(false)
              .setVersion(i)
              .setComputedAt(now)
              .build());
    }
    return out;
  }

  private static String key(ScaleScore s) {
    MetricCell c = s.getCell();
    return new CellKey(
            c.getDistrictId(),
            c.getSchoolId(),
            c.getCycle(),
            c.getWindow().getDays(),
            c.getWindow().getAsOf(),
            s.getScaleId(),
            c.getRoleGroup(),
            c.getCohort())
        .format();
  }

  @SuppressWarnings("unchecked")
  private static void produce(
      String bootstrap,
      String registryUrl,
      String topic,
      List<String> keys,
      List<ScaleScore> records) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    var serde =
        AvroSerde.generic().configured(Map.of(RegistryClientConfig.URL, registryUrl), false);
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(
            props,
            new StringSerializer(),
            (Serializer<Object>) (Serializer<?>) serde.serializer())) {
      for (int i = 0; i < records.size(); i++) {
        producer.send(new ProducerRecord<>(topic, keys.get(i), records.get(i)));
      }
      producer.flush();
    }
  }
}

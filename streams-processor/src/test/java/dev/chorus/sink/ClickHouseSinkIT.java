package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.avro.InfluenceDistribution;
import dev.chorus.avro.MetricCell;
import dev.chorus.avro.ResponseRate;
import dev.chorus.avro.ScaleScore;
import dev.chorus.avro.WindowKind;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.contracts.ReportingModel;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The sink on the real broker, registry and ClickHouse: views equal the batch oracle, replays and
 * tombstones, a ClickHouse outage, and a record that can never be written.
 */
@ChorusIntegrationTest
class ClickHouseSinkIT {

  private static String key(
      String district, String school, String cycle, String metric, String role, String cohort) {
    return String.join("|", district, school, cycle, metric, role, cohort);
  }

  private static String key(MetricCell c, String metric) {
    return key(
        c.getDistrictId(),
        c.getSchoolId() == null ? "" : c.getSchoolId(),
        c.getCycle(),
        metric,
        c.getRoleGroup(),
        c.getCohort() == null ? "" : c.getCohort());
  }

  @Test
  void viewsShowExactlyTheOracle(ChorusStack stack) throws Exception {
    ReportingFixture.Loaded data = ReportingFixture.load(stack);
    Map<String, ScaleScore> expected = new HashMap<>();
    for (SpecificRecordBase r :
        data.expected().get(ReportingFixture.TOPICS.scaleScores()).values()) {
      ScaleScore s = (ScaleScore) r;
      if (s.getCell().getWindow().getKind() == WindowKind.CYCLE_TO_DATE) {
        expected.put(key(s.getCell(), s.getScaleId()), s);
      }
    }
    List<Map<String, Object>> rows =
        Sql.admin(stack, "SELECT * FROM chorus_reporting.current_scores");
    assertThat(rows).hasSize(expected.size());
    int suppressed = 0;
    for (Map<String, Object> row : rows) {
      String k =
          key(
              (String) row.get("district_id"),
              (String) row.get("school_id"),
              (String) row.get("cycle"),
              (String) row.get("scale_id"),
              (String) row.get("role_group"),
              (String) row.get("cohort"));
      ScaleScore s = expected.get(k);
      assertThat(s).as(k).isNotNull();
      assertThat(row.get("suppressed")).as(k).isEqualTo(s.getSuppression().getSuppressed());
      assertThat(row.get("n_band")).as(k).isEqualTo(s.getSuppression().getNBand());
      if (s.getSuppression().getSuppressed()) {
        suppressed++;
        assertThat(row.get("n")).as(k).isNull();
        assertThat(row.get("mean")).as(k).isNull();
        assertThat(row.get("score_100")).as(k).isNull();
      } else {
        assertThat(((Number) row.get("n")).intValue()).as(k).isEqualTo(s.getN());
        if (s.getMean() == null) {
          assertThat(row.get("mean")).as(k).isNull();
        } else {
          assertThat(((Number) row.get("mean")).doubleValue())
              .as(k)
              .isCloseTo(s.getMean(), within(1e-12));
        }
      }
    }
    assertThat(suppressed).as("the data has suppressed cells").isPositive();
    assertThat(suppressed).as("and published ones").isLessThan(rows.size());

    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.rolling_scores"))
        .isEqualTo(
            data.expected().get(ReportingFixture.TOPICS.scaleScores()).values().stream()
                .filter(r -> ((ScaleScore) r).getCell().getWindow().getKind() == WindowKind.ROLLING)
                .count());
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.influence"))
        .isEqualTo(data.expected().get(ReportingFixture.TOPICS.influence()).size());
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.decision_patterns"))
        .isEqualTo(data.expected().get(ReportingFixture.TOPICS.decisionPatterns()).size());
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.item_distributions"))
        .isEqualTo(data.expected().get(ReportingFixture.TOPICS.itemDistributions()).size());
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.score_trends"))
        .isEqualTo(data.expected().get(ReportingFixture.TOPICS.scaleChanges()).size());
    long rates =
        data.expected().get(ReportingFixture.TOPICS.responseRates()).values().stream()
            .filter(
                r -> ((ResponseRate) r).getCell().getWindow().getKind() == WindowKind.CYCLE_TO_DATE)
            .count();
    assertThat(rates).isPositive();
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.response_rates"))
        .isEqualTo(rates);
    assertThat(
            Sql.count(stack, "SELECT sum(late_submissions) FROM chorus_reporting.late_submissions"))
        .isEqualTo(data.late().size());
    assertThat(
            Sql.count(
                stack,
                "SELECT sum(rejected_rows) FROM chorus_reporting.rejected_submissions"
                    + " WHERE reason_code = 'ANSWER_OUT_OF_SCALE'"))
        .isEqualTo(2);

    // Total influence of one published cell, exactly as computed.
    InfluenceDistribution cell =
        data.expected().get(ReportingFixture.TOPICS.influence()).values().stream()
            .map(r -> (InfluenceDistribution) r)
            .filter(d -> !d.getSuppression().getSuppressed() && d.getTotalInfluence() != null)
            .filter(d -> d.getCell().getWindow().getKind() == WindowKind.CYCLE_TO_DATE)
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> influence =
        Sql.admin(
            stack,
            "SELECT total_influence, evenness FROM chorus_reporting.influence WHERE district_id = '"
                + cell.getCell().getDistrictId()
                + "' AND school_id = '"
                + (cell.getCell().getSchoolId() == null ? "" : cell.getCell().getSchoolId())
                + "' AND cycle = '"
                + cell.getCell().getCycle()
                + "' AND window_kind = 'CYCLE_TO_DATE' AND decision_area = '"
                + cell.getDecisionArea()
                + "' AND rater_role_group = '"
                + cell.getCell().getRoleGroup()
                + "' AND cohort = '"
                + (cell.getCell().getCohort() == null ? "" : cell.getCell().getCohort())
                + "'");
    assertThat(influence).hasSize(1);
    assertThat(((Number) influence.get(0).get("total_influence")).doubleValue())
        .isCloseTo(cell.getTotalInfluence(), within(1e-12));
  }

  @Test
  void replayingEverythingChangesNothingAnalystsSee(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    String views =
        "SELECT (SELECT count() FROM chorus_reporting.current_scores),"
            + " (SELECT sum(n) FROM chorus_reporting.current_scores),"
            + " (SELECT count() FROM chorus_reporting.influence_groups),"
            + " (SELECT sum(late_submissions) FROM chorus_reporting.late_submissions)";
    List<Map<String, Object>> before = Sql.admin(stack, views);
    long raw = ReportingFixture.rawRows(stack, ReportingModel.DATABASE);
    // A sink that lost its offsets (or crashed before committing) reads everything again.
    String group = "replay-" + UUID.randomUUID();
    try (SinkApp replay = SinkApp.start(ReportingFixture.config(stack, group, Map.of()))) {
      ReportingFixture.awaitCommitted(
          stack, group, ReportingFixture.PREFIX, Duration.ofSeconds(90));
    }
    // Rows were written again (background merges may already have collapsed some)...
    assertThat(ReportingFixture.rawRows(stack, ReportingModel.DATABASE)).isGreaterThan(raw);
    // ...and analysts see exactly what they saw before, before and after merging.
    assertThat(Sql.admin(stack, views)).isEqualTo(before);
    Sql.execute(stack, "OPTIMIZE TABLE chorus.scale_scores FINAL");
    assertThat(Sql.admin(stack, views)).isEqualTo(before);
  }

  @Test
  void aTombstoneWithdrawsTheCell(ChorusStack stack) throws Exception {
    String prefix = "tomb" + UUID.randomUUID().toString().substring(0, 6) + ".";
    String db = "chorus_" + prefix.replace(".", "");
    ChorusTopics topics = new ChorusTopics(prefix);
    ReportingFixture.Loaded data = ReportingFixture.load(stack);
    List<Map.Entry<String, SpecificRecordBase>> cells =
        data.expected().get(ReportingFixture.TOPICS.scaleScores()).entrySet().stream()
            .filter(
                e ->
                    ((ScaleScore) e.getValue()).getCell().getWindow().getKind()
                        == WindowKind.CYCLE_TO_DATE)
            .limit(3)
            .toList();
    ReportingFixture.createTopics(stack, topics);
    try (KafkaProducer<String, Object> producer = ReportingFixture.producer(stack)) {
      for (Map.Entry<String, SpecificRecordBase> cell : cells) {
        producer.send(new ProducerRecord<>(topics.scaleScores(), cell.getKey(), cell.getValue()));
      }
      producer.send(new ProducerRecord<>(topics.scaleScores(), cells.get(1).getKey(), null));
      producer.flush();
    }
    try (SinkApp sink = SinkApp.start(isolated(stack, prefix, db))) {
      ReportingFixture.awaitCommitted(stack, "sink-" + prefix, prefix, Duration.ofSeconds(60));
    }
    assertThat(Sql.count(stack, "SELECT count() FROM " + db + "_reporting.current_scores"))
        .isEqualTo(2);
    assertThat(Sql.count(stack, "SELECT count() FROM " + db + ".scale_scores FINAL")).isEqualTo(2);
  }

  @Test
  void aClickHouseOutagePausesTheSinkWhichThenCatchesUp(ChorusStack stack) throws Exception {
    String prefix = "outage" + UUID.randomUUID().toString().substring(0, 6) + ".";
    String db = "chorus_" + prefix.replace(".", "");
    ChorusTopics topics = new ChorusTopics(prefix);
    List<Map.Entry<String, SpecificRecordBase>> cells =
        List.copyOf(
            ReportingFixture.load(stack)
                .expected()
                .get(ReportingFixture.TOPICS.scaleScores())
                .entrySet());
    int half = cells.size() / 2;
    ReportingFixture.createTopics(stack, topics);
    HttpClient http = HttpClient.newHttpClient();
    try (KafkaProducer<String, Object> producer = ReportingFixture.producer(stack);
        SinkApp sink = SinkApp.start(isolated(stack, prefix, db))) {
      for (Map.Entry<String, SpecificRecordBase> cell : cells.subList(0, half)) {
        producer.send(new ProducerRecord<>(topics.scaleScores(), cell.getKey(), cell.getValue()));
      }
      producer.flush();
      ReportingFixture.awaitRows(stack, db, half, Duration.ofSeconds(60));

      stack.stopClickHouse();
      try {
        for (Map.Entry<String, SpecificRecordBase> cell : cells.subList(half, cells.size())) {
          producer.send(new ProducerRecord<>(topics.scaleScores(), cell.getKey(), cell.getValue()));
        }
        producer.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (sink.sink().state() != ClickHouseSink.State.WAITING_FOR_CLICKHOUSE
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(sink.sink().state()).isEqualTo(ClickHouseSink.State.WAITING_FOR_CLICKHOUSE);
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create(sink.httpUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("WAITING_FOR_CLICKHOUSE");
        Thread.sleep(1500);
      } finally {
        stack.startClickHouse();
      }
      ReportingFixture.awaitRows(stack, db, cells.size(), Duration.ofSeconds(90));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (sink.sink().state() != ClickHouseSink.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(sink.sink().state()).isEqualTo(ClickHouseSink.State.RUNNING);
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(sink.httpUrl() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("chorus_sink_insert_retries_total");
      assertThat(metrics).doesNotContain("chorus_sink_insert_retries_total 0.0");
    }
    assertThat(Sql.count(stack, "SELECT count() FROM " + db + ".scale_scores FINAL"))
        .isEqualTo(cells.size());
  }

  @Test
  void anUnreadableRecordGoesToTheDeadLetterTopicAndStopsTheSink(ChorusStack stack)
      throws Exception {
    String prefix = "dlq" + UUID.randomUUID().toString().substring(0, 6) + ".";
    String db = "chorus_" + prefix.replace(".", "");
    ChorusTopics topics = new ChorusTopics(prefix);
    List<Map.Entry<String, SpecificRecordBase>> cells =
        ReportingFixture.load(stack)
            .expected()
            .get(ReportingFixture.TOPICS.scaleScores())
            .entrySet()
            .stream()
            .limit(5)
            .toList();
    stack.createTopic(topics.scaleScores(), 1, true);
    ReportingFixture.createTopics(stack, topics);
    try (KafkaProducer<String, Object> producer = ReportingFixture.producer(stack)) {
      for (Map.Entry<String, SpecificRecordBase> cell : cells) {
        producer.send(
            new ProducerRecord<>(topics.scaleScores(), 0, cell.getKey(), cell.getValue()));
      }
      producer.flush();
    }
    Map<String, Object> props = stack.kafkaProperties();
    try (KafkaProducer<byte[], byte[]> raw =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  topics.scaleScores(), 0, "bad|key".getBytes(), "not avro".getBytes()))
          .get();
    }
    SinkConfig config = isolated(stack, prefix, db);
    try (SinkApp sink = SinkApp.start(config)) {
      sink.awaitEnd();
      assertThat(sink.sink().state()).isEqualTo(ClickHouseSink.State.FAILED);
      assertThat(sink.sink().failure()).hasMessageContaining(config.deadLetterTopic());
    }
    // The rows before it were written; the record itself is on the dead-letter topic.
    assertThat(Sql.count(stack, "SELECT count() FROM " + db + ".scale_scores")).isEqualTo(5);
    Map<String, Object> consumerProps = stack.kafkaProperties();
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + UUID.randomUUID());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.deadLetterTopic()));
      ConsumerRecord<String, byte[]> dead = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (dead == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          dead = r;
        }
      }
      assertThat(dead).isNotNull();
      assertThat(new String(dead.value())).isEqualTo("not avro");
      assertThat(dead.key()).isEqualTo("bad|key");
      assertThat(new String(dead.headers().lastHeader("chorus.source.topic").value()))
          .isEqualTo(topics.scaleScores());
      assertThat(new String(dead.headers().lastHeader("chorus.source.offset").value()))
          .isEqualTo("5");
    }
    // Its offset was committed: a restart continues after it.
    try (SinkApp again = SinkApp.start(config)) {
      Thread.sleep(2000);
      assertThat(again.sink().state()).isEqualTo(ClickHouseSink.State.RUNNING);
    }
  }

  /** A sink on its own topics and databases, as the administrator (whose grants cover them). */
  private static SinkConfig isolated(ChorusStack stack, String prefix, String db) {
    return ReportingFixture.config(
        stack,
        "sink-" + prefix,
        Map.of(
            "CHORUS_TOPIC_PREFIX",
            prefix,
            "CHORUS_CLICKHOUSE_DATABASE",
            db,
            "CHORUS_CLICKHOUSE_REPORTING_DATABASE",
            db + "_reporting",
            "CHORUS_CLICKHOUSE_USER",
            stack.clickhouseUser(),
            "CHORUS_CLICKHOUSE_PASSWORD",
            stack.clickhousePassword()));
  }
}

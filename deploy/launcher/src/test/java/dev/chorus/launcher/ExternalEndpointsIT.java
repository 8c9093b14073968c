package dev.chorus.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.launcher.bench.FreshnessBenchmark;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.clickhouse.ChdbEngine;
import dev.chorus.local.clickhouse.ClickHouseUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./chorus up --kafka-bootstrap-servers … --registry-url … --clickhouse-url …}: the Chorus
 * services run against Kafka, a registry and ClickHouse that already exist (here a second local
 * stack standing in for production), start nothing of their own, and submissions reach the existing
 * ClickHouse's analyst views and the dashboard.
 */
class ExternalEndpointsIT {

  private static final String SCHOOL = "external-school";
  private static final int SUBMISSIONS = 6;

  @Test
  void theServicesRunAgainstExistingInfrastructure() throws Exception {
    Path base = Files.createDirectories(Path.of("target").toAbsolutePath());
    Path infraDir = Files.createTempDirectory(base, "external-infra-");
    Path chorusDir = Files.createTempDirectory(base, "external-chorus-");
    LocalStackConfig infraConfig =
        new LocalStackConfig(
            infraDir, ChdbEngine.defaultCacheDir(), 0, 0, 0, 0, 0, true, List.of());
    try (LocalStack infra = LocalStack.start(infraConfig)) {
      LocalStackConfig external =
          new LocalStackConfig(
              chorusDir,
              ChdbEngine.defaultCacheDir(),
              0,
              0,
              0,
              0,
              0,
              true,
              List.of(),
              infra.kafkaBootstrapServers(),
              infra.registryUrl(),
              infra.clickhouseHttpUrl());
      Map<String, String> env = new HashMap<>();
      env.put("CHORUS_PROCESSOR_HTTP_PORT", "0");
      env.put("CHORUS_SINK_HTTP_PORT", "0");
      env.put("CHORUS_DASHBOARD_PORT", "0");
      // An existing server's users are the operator's: given as settings, as in production.
      env.put("CHORUS_CLICKHOUSE_USER", ReportingModel.WRITER);
      env.put("CHORUS_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_WRITER_PASSWORD);
      env.put("CHORUS_DASHBOARD_CLICKHOUSE_USER", ReportingModel.ANALYST);
      env.put("CHORUS_DASHBOARD_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_ANALYST_PASSWORD);
      try (LocalPipeline pipeline = LocalPipeline.start(external, "0", env)) {
        assertThat(pipeline.stack().kafkaBootstrapServers())
            .isEqualTo(infra.kafkaBootstrapServers());
        assertThat(pipeline.stack().registryUrl()).isEqualTo(infra.registryUrl());
        assertThat(pipeline.stack().clickhouseHttpUrl()).isEqualTo(infra.clickhouseHttpUrl());
        assertThat(pipeline.stack().clickhouseIsLocal()).isFalse();
        assertThat(chorusDir.resolve("kafka")).as("no Kafka of its own").doesNotExist();
        assertThat(chorusDir.resolve("clickhouse")).as("no ClickHouse of its own").doesNotExist();

        String ingest = "http://127.0.0.1:" + pipeline.ingest().port();
        String district = LocalDistricts.DISTRICT;
        String token = pipeline.districts().token();
        IngestClient client = new IngestClient(ingest, district, token);
        client.send(
            "PUT",
            "schools",
            "application/json",
            "{\"schools\":[{\"id\":\"" + SCHOOL + "\",\"name\":\"External\"}]}");
        String answers = FreshnessBenchmark.answers(InstrumentLoader.defaultInstrument());
        for (int i = 0; i < SUBMISSIONS; i++) {
          client.send(
              "POST",
              "submissions",
              "application/json",
              "{\"school_id\":\""
                  + SCHOOL
                  + "\",\"cycle\":\"ext\",\"respondent_id\":\"r-"
                  + i
                  + "\",\"role\":\"TEACHER\",\"submitted_at\":\""
                  + Instant.now()
                  + "\",\"answers\":"
                  + answers
                  + "}");
        }

        // Visible in the existing server's analyst view, read with the analyst login.
        ReportingReader reporting =
            new ReportingReader(
                infra.clickhouseHttpUrl(),
                ReportingModel.ANALYST,
                ClickHouseUsers.LOCAL_ANALYST_PASSWORD);
        String sql =
            "SELECT toString(n) AS n FROM "
                + ReportingModel.REPORTING_DATABASE
                + ".current_scores WHERE district_id = '"
                + district
                + "' AND school_id = '"
                + SCHOOL
                + "' AND cycle = 'ext' AND scale_id = 'vision_strategy' AND role_group = 'ALL'"
                + " AND cohort = '' AND n IS NOT NULL";
        String n = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
          List<Map<String, String>> rows = reporting.rows(sql);
          if (!rows.isEmpty() && rows.get(0).get("n").equals(Integer.toString(SUBMISSIONS))) {
            n = rows.get(0).get("n");
            break;
          }
          Thread.sleep(200);
        }
        assertThat(n).as("all submissions visible in the existing ClickHouse").isNotNull();

        // The dashboard reads the same server's views.
        HttpResponse<String> schools =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                pipeline.dashboard().url()
                                    + "/api/overview?district="
                                    + district
                                    + "&cycle=ext"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(schools.statusCode()).isEqualTo(200);
        assertThat(schools.body()).contains(SCHOOL);
      }
    }
  }
}

package dev.chorus.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.launcher.LocalPipeline;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.clickhouse.ChdbEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./chorus demo} end to end on a fresh local pipeline (Kafka, registry, ClickHouse, ingest,
 * processor, sink): the generated district goes through the ingest API, and what the analyst view
 * shows equals the generator's own batch computation, cell for cell.
 */
class DemoIT {

  @Test
  void theDemoRunsToASummaryThatMatchesTheGeneratorsComputation() throws Exception {
    Path base = Path.of("target");
    Files.createDirectories(base);
    Path dir = Files.createTempDirectory(base.toAbsolutePath(), "demo-it-");
    LocalStackConfig config =
        new LocalStackConfig(
            dir, ChdbEngine.defaultCacheDir(), 0, 0, 0, 0, 0, true, List.of("demo"));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DemoCommand.Check check;
    try (LocalPipeline pipeline =
        LocalPipeline.start(
            config, "0", Map.of("CHORUS_PROCESSOR_HTTP_PORT", "0", "CHORUS_SINK_HTTP_PORT", "0"))) {
      check =
          DemoCommand.runDemo(pipeline, 42, new PrintStream(printed, true, StandardCharsets.UTF_8));
      dashboardShowsWhatClickHouseHolds(pipeline, dir);
      // The ingest service writes each submission onto its district's partition: none takes the
      // processor's repartition hop.
      assertThat(pipeline.processor().metrics().appliedCount()).isGreaterThan(1000);
      assertThat(pipeline.processor().metrics().reroutedCount()).isZero();
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(check.matches()).as(out).isTrue();
    assertThat(check.expected()).isGreaterThan(1000);
    assertThat(out).contains("Results match the generator's own batch computation");
    // The receipts: exactly the three invalid rows rejected, with their reasons.
    assertThat(out).contains("3 rejected (3 invalid on purpose)");
    assertThat(out).contains("UNKNOWN_SCHOOL").contains("ANSWER_OUT_OF_SCALE");
    // The summary: every school, the small one's suppressed cells marked, influence shown.
    for (DemoGenerator.School school : DemoGenerator.generate(42).schools()) {
      assertThat(out).contains("  " + school.id());
    }
    assertThat(out).contains("fewer than 5").contains("(district)").contains(" %");
    assertThat(out).contains("Dashboard: http://127.0.0.1:");
  }

  private static final Pattern HEAT_CELL =
      Pattern.compile("<td data-school=\"([^\"]*)\" data-scale=\"([^\"]*)\"[^>]*>([^<]*)</td>");
  private static final Pattern ROLE_CELL =
      Pattern.compile("<td data-role=\"([^\"]*)\" data-scale=\"([^\"]*)\"[^>]*>([^<]*)</td>");
  private static final Pattern TOTAL_INFLUENCE =
      Pattern.compile("data-total-influence=\"\"[^>]*>([^<]*)<");

  /**
   * The built-in page in headless Chromium: every number of the district heat table and the
   * school's total influence equal the analyst views; screenshots are kept as test artifacts.
   */
  private static void dashboardShowsWhatClickHouseHolds(LocalPipeline pipeline, Path dir)
      throws Exception {
    Chromium.ensureInstalled(Path.of("target", "chromium-install.log").toAbsolutePath());
    dev.chorus.launcher.ReportingReader reporting =
        new dev.chorus.launcher.ReportingReader(
            pipeline.stack().clickhouseHttpUrl(),
            pipeline.analyst().user(),
            pipeline.analyst().password());
    Map<String, String> expected = new HashMap<>();
    for (Map<String, String> row :
        reporting.rows(
            "SELECT school_id, scale_id, suppressed, toString(round(score_100)) AS score"
                + " FROM chorus_reporting.current_scores WHERE district_id = 'demo'"
                + " AND cycle = '2026-fall' AND role_group = 'ALL' AND cohort = ''"
                + " AND scale_kind = 'CONDITION'")) {
      expected.put(
          row.get("school_id") + "|" + row.get("scale_id"),
          row.get("suppressed").equals("true") ? "fewer than 5" : row.get("score"));
    }
    for (String school : List.of("hillside", "adams")) {
      String url = pipeline.dashboard().url() + "/?district=demo&cycle=2026-fall&school=" + school;
      String dom = Chromium.dumpDom(url, dir.resolve("chromium-" + school));
      assertThat(dom).as("the page finished drawing").contains("data-ready=\"true\"");
      assertThat(dom).doesNotContain("data-error");
      Matcher m = HEAT_CELL.matcher(dom);
      Map<String, String> rendered = new HashMap<>();
      while (m.find()) {
        rendered.put(m.group(1) + "|" + m.group(2), m.group(3));
      }
      assertThat(rendered).as("heat table of " + school + "'s page").isEqualTo(expected);
      Map<String, String> influence =
          reporting
              .rows(
                  "SELECT suppressed, toString(round(total_influence, 2)) AS total"
                      + " FROM chorus_reporting.influence WHERE district_id = 'demo'"
                      + " AND school_id = '"
                      + school
                      + "' AND cycle = '2026-fall' AND window_kind = 'CYCLE_TO_DATE'"
                      + " AND decision_area = 'ALL' AND rater_role_group = 'ALL' AND cohort = ''")
              .get(0);
      Matcher total = TOTAL_INFLUENCE.matcher(dom);
      assertThat(total.find()).as(school + " total influence shown").isTrue();
      if (influence.get("suppressed").equals("true")) {
        assertThat(total.group(1)).contains("fewer than 5");
      } else {
        assertThat(Double.parseDouble(total.group(1)))
            .isEqualTo(Double.parseDouble(influence.get("total")));
      }
      // The role breakdown: small groups are marked, never shown as numbers.
      Map<String, String> roles = new HashMap<>();
      for (Map<String, String> row :
          reporting.rows(
              "SELECT role_group, scale_id, suppressed, toString(round(score_100)) AS score"
                  + " FROM chorus_reporting.current_scores WHERE district_id = 'demo'"
                  + " AND school_id = '"
                  + school
                  + "' AND cycle = '2026-fall' AND role_group != 'ALL' AND cohort = ''"
                  + " AND scale_kind = 'CONDITION'")) {
        roles.put(
            row.get("role_group") + "|" + row.get("scale_id"),
            row.get("suppressed").equals("true") ? "fewer than 5" : row.get("score"));
      }
      Matcher r = ROLE_CELL.matcher(dom);
      Map<String, String> renderedRoles = new HashMap<>();
      while (r.find()) {
        renderedRoles.put(r.group(1) + "|" + r.group(2), r.group(3));
      }
      assertThat(renderedRoles).as("role table of " + school).isEqualTo(roles);
      if (school.equals("hillside")) {
        assertThat(renderedRoles)
            .as("the small school's groups are marked")
            .containsValue("fewer than 5");
      }
      assertThat(dom).doesNotContain("@demo.k12.example");
      Chromium.screenshot(
          url,
          dir.resolve("chromium-shot-" + school),
          Path.of("target", "screenshots", "dashboard-" + school + ".png"),
          1400,
          2300);
    }
  }
}

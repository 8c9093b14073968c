package dev.chorus.launcher.demo;

import dev.chorus.avro.ScaleScore;
import dev.chorus.contracts.ReportingModel;
import dev.chorus.launcher.LocalPipeline;
import dev.chorus.launcher.ReportingReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./chorus demo [--seed S] [up options]}: {@code up}, then a synthetic district sent through
 * the ingest API as a district would; when the results are in ClickHouse (and equal to the
 * generator's own batch computation) prints a summary per school.
 */
public final class DemoCommand {

  private DemoCommand() {}

  public static void main(String[] args) throws InterruptedException {
    long seed = 42;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--seed") && i + 1 < args.length) {
        seed = Long.parseLong(args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    long chosen = seed;
    dev.chorus.launcher.ChorusUp.run(
        "demo", rest.toArray(String[]::new), pipeline -> runDemo(pipeline, chosen, System.out));
  }

  /** Feeds the district, waits for its results, prints the summary; returns the comparison. */
  public static Check runDemo(LocalPipeline pipeline, long seed, PrintStream out) {
    if (pipeline.stack().clickhouseHttpUrl() == null) {
      throw new IllegalStateException("the demo needs ClickHouse (drop --no-clickhouse)");
    }
    DemoGenerator.Demo demo = DemoGenerator.generate(seed);
    out.printf(
        "%nDemo district '%s' (seed %d): %d schools, %d responses; sending it through the ingest"
            + " API…%n",
        DemoGenerator.DISTRICT, seed, demo.schools().size(), demo.responses().size());
    try {
      DemoFeeder.Fed fed =
          new DemoFeeder(
                  "http://127.0.0.1:" + pipeline.ingest().port(), pipeline.districts().token())
              .feed(demo, out);
      out.printf(
          "  %d rows and submissions accepted, %d rejected (%d invalid on purpose)%n",
          fed.accepted(), fed.rejected(), demo.invalidRows());
    } catch (IOException e) {
      throw new UncheckedIOException("Sending the demo district failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Map<String, ScaleScore> expected = DemoExpectations.currentScores(demo);
    ReportingReader reporting =
        new ReportingReader(
            pipeline.stack().clickhouseHttpUrl(),
            pipeline.analyst().user(),
            pipeline.analyst().password());
    out.printf("Waiting for the results in ClickHouse (%d cells expected)…%n", expected.size());
    Check check = Check.await(reporting, expected, Duration.ofMinutes(3));
    out.println(check.describe());
    out.println(summary(reporting));
    if (pipeline.dashboard() != null) {
      out.printf(
          "Dashboard: %s/?district=%s&cycle=2026-fall%n",
          pipeline.dashboard().url(), DemoGenerator.DISTRICT);
    }
    out.printf(
        "Explore: docs/analysts.md; e.g. curl '%s/?user=%s&password=%s' --data 'SELECT * FROM %s.current_scores"
            + " WHERE district_id = ''demo'' LIMIT 10'%n",
        pipeline.stack().clickhouseHttpUrl(),
        pipeline.analyst().user(),
        pipeline.stack().clickhouseIsLocal() ? pipeline.analyst().password() : "…",
        ReportingModel.REPORTING_DATABASE);
    return check;
  }

  /** The per-school summary of the latest cycle. */
  static String summary(ReportingReader reporting) {
    List<Map<String, String>> rows =
        reporting.rows(
            "SELECT s.school_id AS school,"
                + " anyIf(if(s.suppressed, 'fewer than 5', toString(round(s.score_100))), s.scale_id = 'vision_strategy') AS vision,"
                + " anyIf(if(s.suppressed, 'fewer than 5', toString(round(s.score_100))), s.scale_id = 'trust_respect') AS trust,"
                + " anyIf(if(s.suppressed, 'fewer than 5', toString(round(s.score_100))), s.scale_id = 'shared_influence') AS shared_influence,"
                + " any(t.teachers_trust) AS teachers_trust,"
                + " any(i.total) AS total_influence, any(i.even) AS evenness, any(r.rate_text) AS response_rate"
                + " FROM chorus_reporting.current_scores AS s"
                + " LEFT JOIN (SELECT school_id, if(suppressed, 'fewer than 5', toString(round(total_influence, 2))) AS total,"
                + "   if(suppressed, '', toString(round(evenness, 2))) AS even FROM chorus_reporting.influence"
                + "   WHERE district_id = 'demo' AND cycle = '2026-fall' AND window_kind = 'CYCLE_TO_DATE'"
                + "   AND decision_area = 'ALL' AND rater_role_group = 'ALL' AND cohort = '') AS i ON i.school_id = s.school_id"
                + " LEFT JOIN (SELECT school_id, if(rate IS NULL, if(suppressed, 'fewer than 5', ''),"
                + "   concat(toString(round(100 * rate)), ' %')) AS rate_text FROM chorus_reporting.response_rates"
                + "   WHERE district_id = 'demo' AND cycle = '2026-fall' AND role_group = 'ALL' AND cohort = '') AS r"
                + "   ON r.school_id = s.school_id"
                + " LEFT JOIN (SELECT school_id, if(suppressed, 'fewer than 5', toString(round(score_100)))"
                + "   AS teachers_trust FROM chorus_reporting.current_scores WHERE district_id = 'demo'"
                + "   AND cycle = '2026-fall' AND scale_id = 'trust_respect' AND role_group = 'TEACHER'"
                + "   AND cohort = '') AS t ON t.school_id = s.school_id"
                + " WHERE s.district_id = 'demo' AND s.cycle = '2026-fall' AND s.role_group = 'ALL' AND s.cohort = ''"
                + " GROUP BY s.school_id ORDER BY s.school_id = '', s.school_id");
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%nCycle 2026-fall, all respondents unless named (scores 0-100; groups of fewer than 5"
                + " respondents are not shown):%n  %-12s %8s %8s %17s %17s %16s %9s %9s%n",
            "school",
            "vision",
            "trust",
            "trust (teachers)",
            "shared influence",
            "total influence",
            "evenness",
            "response"));
    for (Map<String, String> row : rows) {
      out.append(
          String.format(
              "  %-12s %8s %8s %17s %17s %16s %9s %9s%n",
              row.get("school").isEmpty() ? "(district)" : row.get("school"),
              row.get("vision"),
              row.get("trust"),
              row.get("teachers_trust"),
              row.get("shared_influence"),
              row.get("total_influence"),
              row.get("evenness"),
              row.get("response_rate")));
    }
    return out.toString();
  }

  /** ClickHouse's current scores of the demo district against the generator's computation. */
  public record Check(int expected, int seen, int matching, List<String> differences) {

    public boolean matches() {
      return expected == seen && matching == expected;
    }

    String describe() {
      return matches()
          ? String.format(
              "Results match the generator's own batch computation: %d of %d cells.",
              matching, expected)
          : String.format(
              "Results do NOT match the generator's computation yet: %d cells seen, %d expected, %d"
                  + " matching; first differences: %s",
              seen, expected, matching, differences.subList(0, Math.min(5, differences.size())));
    }

    /** Polls until the view equals {@code expected} or {@code timeout} passes. */
    static Check await(
        ReportingReader reporting, Map<String, ScaleScore> expected, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      Check check;
      do {
        check = compare(reporting, expected);
        if (check.matches()) {
          return check;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return check;
        }
      } while (System.nanoTime() < deadline);
      return check;
    }

    static Check compare(ReportingReader reporting, Map<String, ScaleScore> expected) {
      List<Map<String, String>> rows =
          reporting.rows(
              "SELECT school_id, cycle, scale_id, role_group, cohort, n, mean, suppressed"
                  + " FROM chorus_reporting.current_scores WHERE district_id = 'demo'");
      int matching = 0;
      List<String> differences = new ArrayList<>();
      for (Map<String, String> row : rows) {
        String key =
            DemoExpectations.key(
                row.get("school_id"),
                row.get("cycle"),
                row.get("scale_id"),
                row.get("role_group"),
                row.get("cohort"));
        ScaleScore want = expected.get(key);
        if (want == null) {
          differences.add(key + " unexpected");
          continue;
        }
        boolean suppressed = row.get("suppressed").equals("true");
        boolean same = suppressed == want.getSuppression().getSuppressed();
        if (same && !suppressed) {
          same =
              Integer.parseInt(row.get("n")) == want.getN()
                  && (want.getMean() == null
                      ? row.get("mean") == null
                      : row.get("mean") != null
                          && Math.abs(Double.parseDouble(row.get("mean")) - want.getMean()) < 1e-9);
        }
        if (same) {
          matching++;
        } else {
          differences.add(key + " n=" + row.get("n") + " vs " + want.getN());
        }
      }
      return new Check(expected.size(), rows.size(), matching, differences);
    }
  }
}

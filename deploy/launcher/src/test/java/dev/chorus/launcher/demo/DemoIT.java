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
import java.util.List;
import java.util.Map;
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
  }
}

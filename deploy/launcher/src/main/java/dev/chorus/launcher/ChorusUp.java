package dev.chorus.launcher;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.ingest.IngestService;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.processor.ProcessorApp;
import dev.chorus.sink.SinkApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./chorus up}: starts the local infrastructure (Kafka, schema registry, ClickHouse) and the
 * Chorus services on loopback, prints every address, and runs until Ctrl-C, then stops everything.
 */
public final class ChorusUp {

  private static final Logger LOG = LoggerFactory.getLogger(ChorusUp.class);

  private ChorusUp() {}

  public static void main(String[] args) throws InterruptedException {
    run("up", args, pipeline -> {});
  }

  /**
   * Starts the pipeline as {@code ./chorus <command>} with {@code args}, prints the addresses, runs
   * {@code onReady} (the demo feeds its district there), then waits for Ctrl-C.
   */
  public static void run(
      String command, String[] args, java.util.function.Consumer<LocalPipeline> onReady)
      throws InterruptedException {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(
          "Usage: ./chorus "
              + command
              + " [options]\n\nOptions (flag, environment variable):\n"
              + LocalStackConfig.help()
              + String.format(
                  "  %-26s %-30s %s (default %s)%n",
                  "--ingest-port", "CHORUS_INGEST_PORT", "ingest service HTTP port", "8080"));
      return;
    }
    List<String> stackArgs = new ArrayList<>();
    String ingestPort = System.getenv().getOrDefault("CHORUS_INGEST_PORT", "8080");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--ingest-port") && i + 1 < args.length) {
        ingestPort = args[++i];
      } else if (args[i].startsWith("--ingest-port=")) {
        ingestPort = args[i].substring("--ingest-port=".length());
      } else {
        stackArgs.add(args[i]);
      }
    }
    LocalStackConfig stackConfig;
    try {
      stackConfig =
          LocalStackConfig.parse(stackArgs.toArray(String[]::new), Map.copyOf(System.getenv()));
    } catch (IllegalArgumentException e) {
      System.err.println(
          "chorus " + command + ": " + e.getMessage() + "\n\nOptions:\n" + LocalStackConfig.help());
      System.exit(2);
      return;
    }
    long started = System.nanoTime();
    LocalPipeline pipeline;
    try {
      pipeline = LocalPipeline.start(stackConfig, ingestPort, System.getenv());
    } catch (RuntimeException e) {
      LOG.error("chorus {} failed: {}", command, e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Chorus…");
                  pipeline.close();
                  System.out.println("Stopped.");
                  stopped.countDown();
                },
                "chorus-shutdown"));
    LocalStack stack = pipeline.stack();
    IngestService ingest = pipeline.ingest();
    ProcessorApp processor = pipeline.processor();
    SinkApp sink = pipeline.sink();
    LocalDistricts.LocalFiles districts = pipeline.districts();
    String ingestUrl = "http://127.0.0.1:" + ingest.port();
    System.out.printf(
        """

        Chorus is up (%.1f s). Data: %s

        %s  Ingest API       %s   (OpenAPI: %s/openapi.yaml, health: %s/health/ready)
          Processor        %s   (health: %s/health, metrics: %s/metrics)
                           scores, item distributions, changes, response rates on chorus.scores.* / chorus.response.rates
        %s

        Local district '%s', admin token (also in %s):
          %s

        Try it:
          curl -X PUT -H "Authorization: Bearer $CHORUS_TOKEN" -H 'Content-Type: application/json' \\
               -d '{"schools":[{"id":"s1","name":"Lincoln Elementary"}]}' %s/v1/districts/%s/schools
          ./chorus upload export.csv --district %s --cycle 2026-fall --mapping google-forms

        Press Ctrl-C to stop.
        """,
        (System.nanoTime() - started) / 1e9,
        stackConfig.dataDir(),
        stack.describe(),
        ingestUrl,
        ingestUrl,
        ingestUrl,
        processor.httpUrl(),
        processor.httpUrl(),
        processor.httpUrl(),
        sink == null ? "" : describeSink(pipeline),
        LocalDistricts.DISTRICT,
        stackConfig.dataDir().resolve("ingest").resolve("local-token"),
        districts.token(),
        ingestUrl,
        LocalDistricts.DISTRICT,
        LocalDistricts.DISTRICT);
    try {
      onReady.accept(pipeline);
    } catch (RuntimeException e) {
      LOG.error("chorus {}: {}", command, e.getMessage(), e);
      System.out.println("Chorus keeps running; press Ctrl-C to stop.");
    }
    stopped.await();
  }

  private static String describeSink(LocalPipeline pipeline) {
    String url = pipeline.stack().clickhouseHttpUrl();
    LocalPipeline.Credentials analyst = pipeline.analyst();
    String password = pipeline.stack().clickhouseIsLocal() ? analyst.password() : "…";
    return String.format(
        """
          ClickHouse sink  %s   (health: %s/health, metrics: %s/metrics)
          Dashboard        %s

        Analysts (read-only views in %s; docs/analysts.md):
          jdbc:clickhouse:%s?user=%s&password=%s
          curl '%s/?user=%s&password=%s' --data 'SELECT * FROM %s.current_scores LIMIT 10'
        """,
        pipeline.sink().httpUrl(),
        pipeline.sink().httpUrl(),
        pipeline.sink().httpUrl(),
        pipeline.dashboard().url(),
        ReportingModel.REPORTING_DATABASE,
        url,
        analyst.user(),
        password,
        url,
        analyst.user(),
        password,
        ReportingModel.REPORTING_DATABASE);
  }
}

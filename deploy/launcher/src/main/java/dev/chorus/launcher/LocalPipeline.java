package dev.chorus.launcher;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.dashboard.DashboardApp;
import dev.chorus.dashboard.DashboardConfig;
import dev.chorus.ingest.IngestService;
import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import dev.chorus.local.clickhouse.ClickHouseUsers;
import dev.chorus.processor.ProcessorApp;
import dev.chorus.processor.ProcessorConfig;
import dev.chorus.sink.SinkApp;
import dev.chorus.sink.SinkConfig;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on loopback, in this JVM: the local stack (Kafka, registry, ClickHouse), the
 * ingest service, the streams processor, the ClickHouse sink and the dashboard. Used by {@code
 * ./chorus up} and the end-to-end benchmark.
 */
public final class LocalPipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  private final LocalStack stack;
  private final LocalDistricts.LocalFiles districts;
  private IngestService ingest;
  private ProcessorApp processor;
  private SinkApp sink;
  private DashboardApp dashboard;
  private Credentials analyst;

  /** A ClickHouse login. */
  public record Credentials(String user, String password) {}

  private LocalPipeline(LocalStack stack, LocalDistricts.LocalFiles districts) {
    this.stack = stack;
    this.districts = districts;
  }

  /**
   * Starts everything; on failure stops what had started and rethrows.
   *
   * @param env settings of the services (environment variables); addresses of the local stack are
   *     filled in
   */
  public static LocalPipeline start(
      LocalStackConfig stackConfig, String ingestPort, Map<String, String> env) {
    LocalDistricts.LocalFiles districts =
        LocalDistricts.ensure(stackConfig.dataDir().resolve("ingest"));
    LocalPipeline pipeline = new LocalPipeline(LocalStack.start(stackConfig), districts);
    try {
      LocalStack stack = pipeline.stack;
      Map<String, String> common = new HashMap<>(env);
      common.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
      common.put("CHORUS_SCHEMA_REGISTRY_URL", stack.registryUrl());

      Map<String, String> ingestEnv = new HashMap<>(common);
      ingestEnv.put("CHORUS_INGEST_PORT", ingestPort);
      ingestEnv.put("CHORUS_INGEST_DATA_DIR", stackConfig.dataDir().resolve("ingest").toString());
      ingestEnv.put("CHORUS_DISTRICTS_FILE", districts.districtsFile().toString());
      pipeline.ingest = IngestService.start(IngestConfig.fromEnvironment(ingestEnv));

      Map<String, String> processorEnv = new HashMap<>(common);
      processorEnv.put(
          "CHORUS_PROCESSOR_STATE_DIR", stackConfig.dataDir().resolve("processor").toString());
      pipeline.processor = ProcessorApp.start(ProcessorConfig.fromEnvironment(processorEnv));

      if (stack.clickhouseHttpUrl() != null) {
        Map<String, String> sinkEnv = new HashMap<>(common);
        sinkEnv.put("CHORUS_CLICKHOUSE_URL", stack.clickhouseHttpUrl());
        Map<String, String> dashboardEnv = new HashMap<>(env);
        dashboardEnv.put("CHORUS_CLICKHOUSE_URL", stack.clickhouseHttpUrl());
        if (stack.clickhouseIsLocal()) {
          // The local server's users are Chorus's own (users.xml); an external server's come
          // from the environment (CHORUS_CLICKHOUSE_USER/_PASSWORD, CHORUS_DASHBOARD_...).
          sinkEnv.put("CHORUS_CLICKHOUSE_USER", ReportingModel.WRITER);
          sinkEnv.put("CHORUS_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_WRITER_PASSWORD);
          dashboardEnv.put("CHORUS_DASHBOARD_CLICKHOUSE_USER", ReportingModel.ANALYST);
          dashboardEnv.put(
              "CHORUS_DASHBOARD_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_ANALYST_PASSWORD);
        }
        pipeline.sink = SinkApp.start(SinkConfig.fromEnvironment(sinkEnv));
        DashboardConfig dashboardConfig = DashboardConfig.fromEnvironment(dashboardEnv);
        pipeline.analyst = new Credentials(dashboardConfig.user(), dashboardConfig.password());
        pipeline.dashboard = DashboardApp.start(dashboardConfig);
      }
      return pipeline;
    } catch (RuntimeException e) {
      pipeline.close();
      throw e;
    }
  }

  public LocalStack stack() {
    return stack;
  }

  public LocalDistricts.LocalFiles districts() {
    return districts;
  }

  public IngestService ingest() {
    return ingest;
  }

  public ProcessorApp processor() {
    return processor;
  }

  /** The sink, or null when running without ClickHouse. */
  public SinkApp sink() {
    return sink;
  }

  /** The analyst login the dashboard uses (read-only views), or null without ClickHouse. */
  public Credentials analyst() {
    return analyst;
  }

  /** The built-in dashboard, or null when running without ClickHouse. */
  public DashboardApp dashboard() {
    return dashboard;
  }

  /** Stops everything, in the order data flows. */
  @Override
  public void close() {
    for (AutoCloseable part : new AutoCloseable[] {dashboard, ingest, processor, sink, stack}) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed", part.getClass().getSimpleName(), e);
      }
    }
  }
}

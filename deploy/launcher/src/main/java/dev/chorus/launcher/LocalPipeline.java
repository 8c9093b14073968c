package dev.chorus.launcher;

import dev.chorus.contracts.ReportingModel;
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
 * ingest service, the streams processor and the ClickHouse sink. Used by {@code ./chorus up} and
 * the end-to-end benchmark.
 */
public final class LocalPipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  private final LocalStack stack;
  private final LocalDistricts.LocalFiles districts;
  private IngestService ingest;
  private ProcessorApp processor;
  private SinkApp sink;

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
      common.put("CHORUS_KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
      common.put("CHORUS_SCHEMA_REGISTRY_URL", stack.registry().url());

      Map<String, String> ingestEnv = new HashMap<>(common);
      ingestEnv.put("CHORUS_INGEST_PORT", ingestPort);
      ingestEnv.put("CHORUS_INGEST_DATA_DIR", stackConfig.dataDir().resolve("ingest").toString());
      ingestEnv.put("CHORUS_DISTRICTS_FILE", districts.districtsFile().toString());
      pipeline.ingest = IngestService.start(IngestConfig.fromEnvironment(ingestEnv));

      Map<String, String> processorEnv = new HashMap<>(common);
      processorEnv.put(
          "CHORUS_PROCESSOR_STATE_DIR", stackConfig.dataDir().resolve("processor").toString());
      pipeline.processor = ProcessorApp.start(ProcessorConfig.fromEnvironment(processorEnv));

      if (stack.clickhouse() != null) {
        Map<String, String> sinkEnv = new HashMap<>(common);
        sinkEnv.put("CHORUS_CLICKHOUSE_URL", stack.clickhouse().httpUrl());
        sinkEnv.put("CHORUS_CLICKHOUSE_USER", ReportingModel.WRITER);
        sinkEnv.put("CHORUS_CLICKHOUSE_PASSWORD", ClickHouseUsers.LOCAL_WRITER_PASSWORD);
        pipeline.sink = SinkApp.start(SinkConfig.fromEnvironment(sinkEnv));
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

  /** Stops everything, in the order data flows. */
  @Override
  public void close() {
    for (AutoCloseable part : new AutoCloseable[] {ingest, processor, sink, stack}) {
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

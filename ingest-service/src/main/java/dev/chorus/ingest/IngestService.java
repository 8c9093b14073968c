package dev.chorus.ingest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.chorus.config.ServiceMain;
import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.ingest.directory.Directory;
import dev.chorus.ingest.http.Auth;
import dev.chorus.ingest.http.IdempotencyStore;
import dev.chorus.ingest.http.IngestApi;
import dev.chorus.ingest.kafka.Publisher;
import dev.chorus.ingest.kafka.TopicAdmin;
import dev.chorus.ingest.submissions.JsonSubmissions;
import dev.chorus.ingest.upload.ReceiptStore;
import dev.chorus.ingest.upload.UploadProcessor;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.registry.SchemaRegistryClient;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest service: wires configuration, Kafka, the directory and the HTTP API. */
public final class IngestService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final Publisher publisher;
  private final Directory directory;
  private final Admin admin;
  private final Javalin app;
  private final PrometheusMeterRegistry metrics;

  private IngestService(IngestConfig config) {
    ObjectMapper json = json();
    TopicAdmin.ensureTopics(config.kafkaBootstrapServers(), config.topics(), 6);
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    this.publisher = new Publisher(config);
    this.directory = new Directory(config, json);
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    ReceiptStore receipts = new ReceiptStore(config.dataDir().resolve("receipts"), json);
    SchemaRegistryClient registry =
        new SchemaRegistryClient(
            RegistryClientConfig.fromProperties(
                Map.of(
                    RegistryClientConfig.URL,
                    config.schemaRegistryUrl(),
                    RegistryClientConfig.REQUEST_TIMEOUT_MS,
                    "2000")));
    Map<String, IngestApi.Probe> readiness = new LinkedHashMap<>();
    readiness.put("kafka", this::kafkaProblem);
    readiness.put(
        "schema_registry",
        () -> {
          try {
            registry.subjects();
            return null;
          } catch (RuntimeException e) {
            return e.getMessage();
          }
        });
    IngestApi api =
        new IngestApi(
            config,
            json,
            new Auth(config.districts()),
            directory,
            new UploadProcessor(
                publisher, config.topics(), receipts, metrics, config.receiptInlineRejections()),
            new JsonSubmissions(publisher, config.topics(), directory, json, metrics),
            receipts,
            new IdempotencyStore(config.dataDir().resolve("idempotency"), json),
            metrics,
            readiness);
    this.app = api.create();
    app.start(config.host(), config.port());
    LOG.info(
        "Ingest service listening on http://{}:{} (Kafka {}, registry {}, {} district(s))",
        config.host(),
        app.port(),
        config.kafkaBootstrapServers(),
        config.schemaRegistryUrl(),
        config.districts().size());
  }

  /** Starts the service; returns once it listens. */
  public static IngestService start(IngestConfig config) {
    return new IngestService(config);
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return app.port();
  }

  private String kafkaProblem() {
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
          .nodes()
          .get(3, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return "Kafka unreachable: " + e.getClass().getSimpleName();
    }
  }

  @Override
  public void close() {
    app.stop();
    directory.close();
    publisher.close();
    admin.close(Duration.ofSeconds(5));
    metrics.close();
  }

  /** The JSON conventions of the API: snake_case, ISO-8601 timestamps, strict input. */
  public static ObjectMapper json() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** Runs the service until SIGTERM/Ctrl-C; configuration from the environment (see docs). */
  public static void main(String[] args) throws InterruptedException {
    IngestConfig config = ServiceMain.settingsOrExit(IngestConfig::fromEnvironment);
    IngestService service = start(config);
    ServiceMain.closeOnShutdown(service, "ingest-shutdown").await();
  }
}

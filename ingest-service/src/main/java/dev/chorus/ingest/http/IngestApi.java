package dev.chorus.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.Role;
import dev.chorus.avro.RosterCount;
import dev.chorus.ingest.config.DistrictSettings;
import dev.chorus.ingest.config.DistrictSettings.Scope;
import dev.chorus.ingest.config.IngestConfig;
import dev.chorus.ingest.directory.Directory;
import dev.chorus.ingest.mapping.ColumnMapping;
import dev.chorus.ingest.mapping.UploadFormatException;
import dev.chorus.ingest.submissions.JsonSubmissions;
import dev.chorus.ingest.upload.LimitedInputStream;
import dev.chorus.ingest.upload.Receipt;
import dev.chorus.ingest.upload.ReceiptStore;
import dev.chorus.ingest.upload.UploadProcessor;
import dev.chorus.ingest.validation.Roles;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.instrument.InvalidInstrumentException;
import dev.chorus.kafka.KafkaUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ingest HTTP API (versioned under {@code /v1}), documented in {@code openapi.yaml}. */
public final class IngestApi {

  private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Set<String> CSV_TYPES =
      Set.of(
          "text/csv",
          "application/csv",
          "text/plain",
          "application/vnd.ms-excel",
          "application/octet-stream");
  private static final String RETRY_AFTER_SECONDS = "30";

  /** One route: method, path (OpenAPI syntax), handler. */
  public record Route(HandlerType method, String path, Handler handler) {}

  /** Readiness of a dependency. */
  public interface Probe {
    /** Null when healthy, otherwise what is wrong. */
    String check();
  }

  private final IngestConfig config;
  private final ObjectMapper json;
  private final Auth auth;
  private final Directory directory;
  private final UploadProcessor uploads;
  private final JsonSubmissions submissions;
  private final ReceiptStore receipts;
  private final IdempotencyStore idempotency;
  private final PrometheusMeterRegistry metrics;
  private final Map<String, Probe> readiness;
  private final BooleanSupplier kafkaUp;

  public IngestApi(
      IngestConfig config,
      ObjectMapper json,
      Auth auth,
      Directory directory,
      UploadProcessor uploads,
      JsonSubmissions submissions,
      ReceiptStore receipts,
      IdempotencyStore idempotency,
      PrometheusMeterRegistry metrics,
      Map<String, Probe> readiness) {
    this.config = config;
    this.json = json;
    this.auth = auth;
    this.directory = directory;
    this.uploads = uploads;
    this.submissions = submissions;
    this.receipts = receipts;
    this.idempotency = idempotency;
    this.metrics = metrics;
    this.readiness = readiness;
    this.kafkaUp = () -> readiness.getOrDefault("kafka", () -> null).check() == null;
  }

  /** Every route of the API; the OpenAPI document must list exactly these. */
  public List<Route> routes() {
    return List.of(
        new Route(HandlerType.POST, "/v1/districts/{district}/submissions", this::postSubmissions),
        new Route(HandlerType.POST, "/v1/districts/{district}/uploads", this::postUpload),
        new Route(HandlerType.GET, "/v1/uploads/{upload}", this::getUpload),
        new Route(HandlerType.GET, "/v1/uploads/{upload}/rejections", this::getRejections),
        new Route(
            HandlerType.PUT,
            "/v1/districts/{district}/instruments/{instrument}/versions/{version}",
            this::putInstrument),
        new Route(
            HandlerType.GET,
            "/v1/districts/{district}/instruments/{instrument}/versions/{version}",
            this::getInstrument),
        new Route(HandlerType.PUT, "/v1/districts/{district}/schools", this::putSchools),
        new Route(HandlerType.GET, "/v1/districts/{district}/schools", this::getSchools),
        new Route(HandlerType.PUT, "/v1/districts/{district}/rosters/{cycle}", this::putRoster),
        new Route(HandlerType.GET, "/v1/districts/{district}/rosters/{cycle}", this::getRoster),
        new Route(HandlerType.PUT, "/v1/districts/{district}/mappings/{mapping}", this::putMapping),
        new Route(HandlerType.GET, "/v1/districts/{district}/mappings/{mapping}", this::getMapping),
        new Route(HandlerType.GET, "/v1/districts/{district}/mappings", this::listMappings),
        new Route(HandlerType.GET, "/health/live", ctx -> ctx.json(Map.of("status", "UP"))),
        new Route(HandlerType.GET, "/health/ready", this::ready),
        new Route(
            HandlerType.GET,
            "/metrics",
            ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape())),
        new Route(HandlerType.GET, "/openapi.yaml", this::openapi));
  }

  /** Builds the Javalin app (not started). */
  public Javalin create() {
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = config.maxJsonBytes();
              cfg.http.prefer405over404 = true;
              cfg.jsonMapper(new JavalinJackson(json, false));
            });
    for (Route route : routes()) {
      app.addEndpoint(new Endpoint(route.method(), route.path(), Set.of(), route.handler()));
    }
    app.before(ctx -> ctx.attribute("chorus.start", System.nanoTime()));
    app.after(
        ctx -> {
          Long start = ctx.attribute("chorus.start");
          if (start != null) {
            Timer.builder("chorus_http_requests")
                .tag("method", ctx.method().name())
                .tag("route", ctx.endpointHandlerPath())
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
          }
        });
    app.exception(ApiException.class, (e, ctx) -> Problems.write(ctx, json, e));
    app.exception(
        UploadFormatException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                json,
                ApiException.unprocessable(
                    "Upload does not fit its mapping",
                    "nothing was ingested: " + e.getMessage(),
                    "MALFORMED",
                    e.problems())));
    app.exception(
        InvalidInstrumentException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                json,
                ApiException.unprocessable(
                    "Invalid instrument",
                    e.problems().size() + " problem(s) in the instrument definition",
                    "INVALID_INSTRUMENT",
                    e.problems())));
    app.exception(
        KafkaUnavailableException.class,
        (e, ctx) -> Problems.write(ctx, json, unavailable(e.getMessage(), Map.of())));
    app.exception(
        JsonProcessingException.class,
        (e, ctx) ->
            Problems.write(
                ctx,
                json,
                new ApiException(
                    400,
                    "Malformed JSON",
                    "the body is not valid JSON: " + e.getOriginalMessage())));
    app.exception(
        JsonSubmissions.JsonBodyException.class,
        (e, ctx) ->
            Problems.write(ctx, json, new ApiException(400, "Malformed request", e.getMessage())));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          String incident = UUID.randomUUID().toString();
          LOG.error("Unexpected error {} on {} {}", incident, ctx.method(), ctx.path(), e);
          Problems.write(
              ctx,
              json,
              new ApiException(
                  500,
                  "Internal error",
                  "unexpected error; incident " + incident + " is in the service log"));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            Problems.write(
                ctx, json, new ApiException(404, "Not Found", "no resource at " + ctx.path()));
          }
        });
    app.error(
        405,
        ctx ->
            Problems.write(
                ctx,
                json,
                new ApiException(
                    405,
                    "Method Not Allowed",
                    ctx.method() + " is not supported on " + ctx.path())));
    return app;
  }

  // ---- submissions and uploads ----

  private void postSubmissions(Context ctx) throws IOException {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.SUBMIT);
    String type = mediaType(ctx);
    boolean ndjson = type.equals("application/x-ndjson");
    if (!ndjson && !type.equals("application/json")) {
      throw new ApiException(
          415,
          "Unsupported Media Type",
          "send application/json (one object or an array) or application/x-ndjson");
    }
    checkLength(ctx, config.maxJsonBytes());
    DistrictSettings settings = config.districts().get(district);
    idempotent(
        ctx,
        district,
        () -> {
          LimitedInputStream body =
              new LimitedInputStream(ctx.bodyInputStream(), config.maxJsonBytes());
          JsonSubmissions.Result result;
          try {
            result = submissions.process(settings, body, ndjson);
          } catch (LimitedInputStream.LimitExceededException e) {
            throw new ApiException(413, "Payload Too Large", e.getMessage());
          }
          if (result.kafkaFailure() != null) {
            throw unavailable(
                "Kafka did not acknowledge every submission; only the items marked accepted were accepted",
                Map.of("result", result));
          }
          if (result.single() && result.rejected() == 1) {
            JsonSubmissions.ItemResult item = result.items().get(0);
            throw new ApiException(
                422,
                "Invalid submission",
                "the submission was rejected (dead-lettered with its reasons)",
                item.reasons().stream()
                    .map(r -> new ApiException.FieldError(r.column(), r.code(), r.message()))
                    .toList(),
                Map.of(),
                Map.of("submission_id", item.submissionId() == null ? "" : item.submissionId()));
          }
          return new Response(202, "application/json", json.writeValueAsString(result));
        });
  }

  private void postUpload(Context ctx) throws IOException {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.SUBMIT);
    if (!CSV_TYPES.contains(mediaType(ctx))) {
      throw new ApiException(415, "Unsupported Media Type", "send the CSV export as text/csv");
    }
    checkLength(ctx, config.maxUploadBytes());
    String cycle = ctx.queryParam("cycle");
    if (cycle == null || cycle.isBlank()) {
      throw new ApiException(
          400,
          "Bad Request",
          "query parameter 'cycle' is required, e.g. ?cycle=2026-fall",
          List.of(new ApiException.FieldError("cycle", "MISSING_FIELD", "required")),
          Map.of(),
          Map.of());
    }
    if (!ID.matcher(cycle).matches()) {
      throw new ApiException(
          400, "Bad Request", "cycle '" + cycle + "' must be 1-64 letters, digits or . _ -");
    }
    Instrument instrument = instrumentParam(district, ctx.queryParam("instrument"));
    String mappingId = Optional.ofNullable(ctx.queryParam("mapping")).orElse("generic");
    ColumnMapping mapping =
        directory
            .mapping(district, mappingId)
            .orElseThrow(
                () ->
                    new ApiException(
                        422,
                        "Unknown mapping",
                        "mapping '"
                            + mappingId
                            + "' is neither a preset (generic, google-forms, qualtrics) nor registered for district '"
                            + district
                            + "'",
                        List.of(
                            new ApiException.FieldError("mapping", "UNKNOWN_MAPPING", "unknown")),
                        Map.of(),
                        Map.of()));
    if (!kafkaUp.getAsBoolean()) {
      throw unavailable(
          "Kafka is unreachable: nothing was read or ingested; retry later", Map.of());
    }
    DistrictSettings settings = config.districts().get(district);
    idempotent(
        ctx,
        district,
        () -> {
          String uploadId = "up-" + UUID.randomUUID();
          Receipt receipt =
              uploads.process(
                  new UploadProcessor.UploadRequest(
                      uploadId,
                      settings,
                      cycle,
                      instrument,
                      mapping,
                      directory.schoolIds(district),
                      config.maxUploadBytes()),
                  ctx.bodyInputStream());
          ctx.header("Location", "/v1/uploads/" + uploadId);
          if (receipt.status().equals("partial")) {
            throw unavailable(
                "Kafka failed during the upload: the receipt counts only acknowledged rows",
                Map.of("receipt", receipt));
          }
          if (receipt.bytesRead() > config.maxUploadBytes()) {
            throw new ApiException(
                413,
                "Payload Too Large",
                "the upload exceeds "
                    + config.maxUploadBytes()
                    + " bytes; rows before the limit were processed",
                List.of(),
                Map.of(),
                Map.of("receipt", receipt));
          }
          return new Response(200, "application/json", json.writeValueAsString(receipt));
        });
  }

  private void getUpload(Context ctx) {
    Receipt receipt = ownReceipt(ctx);
    ctx.json(receipt);
  }

  private void getRejections(Context ctx) {
    Receipt receipt = ownReceipt(ctx);
    long offset = longParam(ctx, "offset", 0, Long.MAX_VALUE);
    int limit = (int) longParam(ctx, "limit", 1000, 10_000);
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("upload_id", receipt.uploadId());
    page.put("total", receipt.rejectionsTotal());
    page.put("offset", offset);
    page.put("rejections", receipts.rejections(receipt.uploadId(), offset, limit));
    ctx.json(page);
  }

  private Receipt ownReceipt(Context ctx) {
    Auth.Caller caller = auth.authenticate(ctx.header("Authorization"));
    Receipt receipt =
        receipts
            .find(ctx.pathParam("upload"))
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "Not Found", "no upload '" + ctx.pathParam("upload") + "'"));
    if (!receipt.districtId().equals(caller.district().id())) {
      // Same answer as for an unknown id: another district's uploads do not exist for this caller.
      throw new ApiException(404, "Not Found", "no upload '" + ctx.pathParam("upload") + "'");
    }
    auth.requireRead(ctx.header("Authorization"), receipt.districtId());
    return receipt;
  }

  // ---- directory ----

  private void putInstrument(Context ctx) {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.ADMIN);
    Instrument instrument =
        InstrumentLoader.load(new ByteArrayInputStream(ctx.bodyAsBytes()), "request body");
    int version = versionParam(ctx);
    if (!instrument.id().equals(ctx.pathParam("instrument")) || instrument.version() != version) {
      throw new ApiException(
          422,
          "Invalid instrument",
          "the body defines "
              + instrument.id()
              + " v"
              + instrument.version()
              + " but the path names "
              + ctx.pathParam("instrument")
              + " v"
              + version);
    }
    switch (directory.putInstrument(district, instrument)) {
      case CREATED ->
          ctx.status(201)
              .json(Map.of("instrument", instrument.id(), "version", version, "status", "created"));
      case UNCHANGED ->
          ctx.status(200)
              .json(
                  Map.of("instrument", instrument.id(), "version", version, "status", "unchanged"));
      case CONFLICT ->
          throw new ApiException(
              409,
              "Conflict",
              instrument.id()
                  + " v"
                  + version
                  + " is already registered with different content; instrument versions are immutable, register a new version");
    }
  }

  private void getInstrument(Context ctx) {
    String district = district(ctx);
    auth.requireRead(ctx.header("Authorization"), district);
    Instrument instrument =
        directory
            .instrument(district, ctx.pathParam("instrument"), versionParam(ctx))
            .orElseThrow(
                () ->
                    new ApiException(
                        404,
                        "Not Found",
                        "instrument "
                            + ctx.pathParam("instrument")
                            + " v"
                            + ctx.pathParam("version")
                            + " is not registered"));
    ctx.contentType("application/json").result(InstrumentLoader.toJson(instrument));
  }

  private void putSchools(Context ctx) throws IOException {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.ADMIN);
    JsonNode body = json.readTree(ctx.bodyAsBytes());
    List<ApiException.FieldError> errors = new ArrayList<>();
    List<Directory.School> schools = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonNode list = body == null ? null : body.get("schools");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new ApiException(
          400,
          "Bad Request",
          "body must be {\"schools\": [{\"id\": \"…\", \"name\": \"…\"}, …]} with at least one school");
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode school = list.get(i);
      String id = school.path("id").asText("");
      if (!ID.matcher(id).matches()) {
        errors.add(
            new ApiException.FieldError(
                "/schools/" + i + "/id",
                "MALFORMED",
                "school id must be 1-64 letters, digits or . _ -"));
      } else if (!seen.add(id)) {
        errors.add(
            new ApiException.FieldError(
                "/schools/" + i + "/id", "DUPLICATE", "school '" + id + "' is listed twice"));
      }
      schools.add(new Directory.School(id, school.path("name").asText(id)));
    }
    if (!errors.isEmpty()) {
      throw new ApiException(
          422,
          "Invalid school directory",
          errors.size() + " problem(s)",
          errors,
          Map.of(),
          Map.of());
    }
    directory.putSchools(district, schools);
    ctx.json(Map.of("district", district, "schools", schools.size()));
  }

  private void getSchools(Context ctx) {
    String district = district(ctx);
    auth.requireRead(ctx.header("Authorization"), district);
    List<Directory.School> schools =
        directory
            .schools(district)
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "Not Found", "district '" + district + "' has no school directory"));
    ctx.json(Map.of("schools", schools));
  }

  private void putRoster(Context ctx) throws IOException {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.ADMIN);
    String cycle = ctx.pathParam("cycle");
    if (!ID.matcher(cycle).matches()) {
      throw new ApiException(400, "Bad Request", "cycle must be 1-64 letters, digits or . _ -");
    }
    JsonNode body = json.readTree(ctx.bodyAsBytes());
    JsonNode schools = body == null ? null : body.get("schools");
    if (schools == null || !schools.isObject() || schools.isEmpty()) {
      throw new ApiException(
          400,
          "Bad Request",
          "body must be {\"schools\": {\"<school id>\": {\"TEACHER\": 30, …}, …}}");
    }
    Set<String> known = directory.schoolIds(district);
    List<ApiException.FieldError> errors = new ArrayList<>();
    Map<String, Map<Role, Integer>> staff = new LinkedHashMap<>();
    schools
        .fields()
        .forEachRemaining(
            school -> {
              String pointer = "/schools/" + school.getKey();
              if (known == null || !known.contains(school.getKey())) {
                errors.add(
                    new ApiException.FieldError(
                        pointer,
                        "UNKNOWN_SCHOOL",
                        "school '"
                            + school.getKey()
                            + "' is not in the district's school directory"));
                return;
              }
              Map<Role, Integer> counts = new LinkedHashMap<>();
              school
                  .getValue()
                  .fields()
                  .forEachRemaining(
                      role -> {
                        Optional<Role> parsed = Roles.parse(role.getKey());
                        if (parsed.isEmpty()) {
                          errors.add(
                              new ApiException.FieldError(
                                  pointer + "/" + role.getKey(),
                                  "UNKNOWN_ROLE",
                                  "'" + role.getKey() + "' is not a role"));
                        } else if (!role.getValue().isIntegralNumber()
                            || role.getValue().asLong() < 0
                            || role.getValue().asLong() > 100_000) {
                          errors.add(
                              new ApiException.FieldError(
                                  pointer + "/" + role.getKey(),
                                  "MALFORMED",
                                  "staff count must be a whole number 0..100000"));
                        } else {
                          counts.merge(parsed.get(), role.getValue().asInt(), Integer::sum);
                        }
                      });
              staff.put(school.getKey(), counts);
            });
    if (!errors.isEmpty()) {
      throw new ApiException(
          422, "Invalid roster", errors.size() + " problem(s)", errors, Map.of(), Map.of());
    }
    directory.putRoster(district, cycle, staff);
    ctx.json(Map.of("district", district, "cycle", cycle, "schools", staff.size()));
  }

  private void getRoster(Context ctx) {
    String district = district(ctx);
    auth.requireRead(ctx.header("Authorization"), district);
    String cycle = ctx.pathParam("cycle");
    var rosters = directory.rosters(district, cycle);
    if (rosters.isEmpty()) {
      throw new ApiException(404, "Not Found", "no roster for cycle '" + cycle + "'");
    }
    Map<String, Map<String, Integer>> schools = new LinkedHashMap<>();
    rosters.forEach(
        (school, roster) -> {
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (RosterCount count : roster.getCounts()) {
            counts.put(count.getRole().name(), count.getStaff());
          }
          schools.put(school, counts);
        });
    ctx.json(Map.of("cycle", cycle, "schools", schools));
  }

  private void putMapping(Context ctx) {
    String district = district(ctx);
    auth.require(ctx.header("Authorization"), district, Scope.ADMIN);
    ColumnMapping mapping;
    try {
      mapping = json.readValue(ctx.bodyAsBytes(), ColumnMapping.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiException(
          422, "Invalid mapping", "the body is not a valid column mapping: " + e.getMessage());
    }
    if (!mapping.id().equals(ctx.pathParam("mapping")) || !ID.matcher(mapping.id()).matches()) {
      throw new ApiException(
          422,
          "Invalid mapping",
          "the body's id '"
              + mapping.id()
              + "' must equal the path's and be 1-64 letters, digits or . _ -");
    }
    directory.putMapping(district, mapping);
    ctx.json(Map.of("district", district, "mapping", mapping.id()));
  }

  private void getMapping(Context ctx) {
    String district = district(ctx);
    auth.requireRead(ctx.header("Authorization"), district);
    ctx.json(
        directory
            .mapping(district, ctx.pathParam("mapping"))
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "Not Found", "no mapping '" + ctx.pathParam("mapping") + "'")));
  }

  private void listMappings(Context ctx) {
    String district = district(ctx);
    auth.requireRead(ctx.header("Authorization"), district);
    ctx.json(Map.of("mappings", directory.mappings(district)));
  }

  // ---- operations ----

  private void ready(Context ctx) {
    Map<String, String> checks = new LinkedHashMap<>();
    boolean up = true;
    for (var probe : readiness.entrySet()) {
      String problem = probe.getValue().check();
      checks.put(probe.getKey(), problem == null ? "UP" : "DOWN: " + problem);
      up &= problem == null;
    }
    if (!up) {
      ctx.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    ctx.status(up ? 200 : 503).json(Map.of("status", up ? "UP" : "DOWN", "checks", checks));
  }

  private void openapi(Context ctx) throws IOException {
    try (InputStream in = IngestApi.class.getResourceAsStream("/openapi.yaml")) {
      ctx.contentType("application/yaml").result(in.readAllBytes());
    }
  }

  // ---- helpers ----

  /** A response to replay for idempotent requests. */
  private record Response(int status, String contentType, String body) {}

  @FunctionalInterface
  private interface Action {
    Response run() throws IOException;
  }

  /** Runs {@code action} once per Idempotency-Key; a retry gets the original response. */
  private void idempotent(Context ctx, String district, Action action) throws IOException {
    String key = ctx.header("Idempotency-Key");
    if (key == null) {
      send(ctx, runCapturingProblems(ctx, action));
      return;
    }
    if (key.isBlank() || key.length() > 255) {
      throw new ApiException(400, "Bad Request", "Idempotency-Key must be 1-255 characters");
    }
    String fingerprint =
        ctx.method()
            + " "
            + ctx.path()
            + "?"
            + Optional.ofNullable(ctx.queryString()).orElse("")
            + " "
            + mediaType(ctx);
    Optional<IdempotencyStore.Stored> stored = idempotency.find(district, key);
    if (stored.isPresent()) {
      if (!stored.get().fingerprint().equals(fingerprint)) {
        throw new ApiException(
            409,
            "Conflict",
            "this Idempotency-Key was used for a different request ("
                + stored.get().fingerprint()
                + ")");
      }
      ctx.header("Idempotent-Replayed", "true");
      send(
          ctx,
          new Response(stored.get().status(), stored.get().contentType(), stored.get().body()));
      return;
    }
    if (!idempotency.begin(district, key)) {
      throw new ApiException(
          409, "Conflict", "a request with this Idempotency-Key is still in progress");
    }
    Response response;
    try {
      response = runCapturingProblems(ctx, action);
    } catch (RuntimeException | IOException e) {
      idempotency.abandon(district, key);
      throw e;
    }
    if (response.status() >= 500) {
      idempotency.abandon(district, key);
    } else {
      idempotency.complete(
          district,
          key,
          new IdempotencyStore.Stored(
              fingerprint, response.status(), response.contentType(), response.body()));
    }
    send(ctx, response);
  }

  /** Client errors decided after work began (422, 413) are stored and replayed like successes. */
  private Response runCapturingProblems(Context ctx, Action action) throws IOException {
    try {
      return action.run();
    } catch (ApiException e) {
      if (e.status() >= 500) {
        throw e;
      }
      e.headers().forEach(ctx::header);
      return new Response(
          e.status(), Problems.CONTENT_TYPE, Problems.body(json, e, ctx.path()).toString());
    }
  }

  private static void send(Context ctx, Response response) {
    ctx.status(response.status()).contentType(response.contentType()).result(response.body());
  }

  private String district(Context ctx) {
    String district = ctx.pathParam("district");
    if (!config.districts().containsKey(district)) {
      // Authenticate first so unknown districts and foreign districts look the same to outsiders.
      Auth.Caller caller = auth.authenticate(ctx.header("Authorization"));
      throw new ApiException(
          403,
          "Forbidden",
          "this token belongs to district '"
              + caller.district().id()
              + "' and cannot access '"
              + district
              + "'");
    }
    return district;
  }

  private Instrument instrumentParam(String district, String param) {
    String value = param == null || param.isBlank() ? Instrument.DEFAULT_ID : param.trim();
    String id = value;
    Integer version = null;
    int at = value.indexOf('@');
    if (at > 0) {
      id = value.substring(0, at);
      try {
        version = Integer.parseInt(value.substring(at + 1));
      } catch (NumberFormatException e) {
        throw new ApiException(
            400,
            "Bad Request",
            "instrument must be '<id>' or '<id>@<version>', got '" + value + "'");
      }
    }
    String instrumentId = id;
    Optional<Instrument> found =
        version == null
            ? directory.latestInstrument(district, id)
            : directory.instrument(district, id, version);
    return found.orElseThrow(
        () ->
            new ApiException(
                422,
                "Unknown instrument",
                "instrument '" + value + "' is not registered for district '" + district + "'",
                List.of(
                    new ApiException.FieldError("instrument", "UNKNOWN_INSTRUMENT", instrumentId)),
                Map.of(),
                Map.of()));
  }

  private static int versionParam(Context ctx) {
    try {
      int version = Integer.parseInt(ctx.pathParam("version"));
      if (version < 1) {
        throw new NumberFormatException();
      }
      return version;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "Bad Request", "version must be a whole number from 1");
    }
  }

  private static long longParam(Context ctx, String name, long fallback, long max) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n < 0 || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "Bad Request", name + " must be a whole number 0.." + max);
    }
  }

  private static String mediaType(Context ctx) {
    String type = ctx.contentType();
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  private static void checkLength(Context ctx, long max) {
    long length = ctx.contentLength();
    if (length > max) {
      throw new ApiException(
          413, "Payload Too Large", "the body has " + length + " bytes; the limit is " + max);
    }
  }

  private static ApiException unavailable(String detail, Map<String, Object> extensions) {
    return new ApiException(
        503,
        "Service Unavailable",
        detail,
        List.of(),
        Map.of("Retry-After", RETRY_AFTER_SECONDS),
        extensions);
  }
}

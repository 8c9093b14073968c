package dev.chorus.ingest.submissions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.avro.ReasonCode;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.ingest.config.DistrictSettings;
import dev.chorus.ingest.directory.Directory;
import dev.chorus.ingest.intake.IntakeSession;
import dev.chorus.ingest.intake.Sanitizer;
import dev.chorus.ingest.kafka.Publisher;
import dev.chorus.ingest.upload.Receipt;
import dev.chorus.ingest.validation.Pseudonymizer;
import dev.chorus.ingest.validation.Rejection;
import dev.chorus.ingest.validation.SubmissionDraft;
import dev.chorus.ingest.validation.SubmissionValidator;
import dev.chorus.instrument.Instrument;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Ingests JSON submissions: one object, an array (streamed element by element) or NDJSON (line by
 * line). Each item is validated and published like an upload row; the result lists every item.
 */
public final class JsonSubmissions {

  /** Fields a JSON submission may have; anything else is reported, not ignored. */
  public static final Set<String> FIELDS =
      Set.of(
          "submission_id",
          "school_id",
          "cycle",
          "instrument",
          "instrument_version",
          "respondent_id",
          "role",
          "cohort_tags",
          "submitted_at",
          "answers",
          "influence",
          "reflection",
          "free_text");

  /** The outcome of one item. */
  public record ItemResult(
      long index, String submissionId, String status, List<Receipt.Reason> reasons) {}

  /** The outcome of a request. */
  public record Result(
      String requestId,
      boolean single,
      long received,
      long accepted,
      long rejected,
      String kafkaFailure,
      List<ItemResult> items) {}

  private final Publisher publisher;
  private final ChorusTopics topics;
  private final Directory directory;
  private final ObjectMapper json;
  private final MeterRegistry metrics;

  public JsonSubmissions(
      Publisher publisher,
      ChorusTopics topics,
      Directory directory,
      ObjectMapper json,
      MeterRegistry metrics) {
    this.publisher = publisher;
    this.topics = topics;
    this.directory = directory;
    this.json = json;
    this.metrics = metrics;
  }

  /**
   * Processes a request body.
   *
   * @throws JsonProcessingException when a single-object or array body is not JSON at all
   */
  public Result process(DistrictSettings district, InputStream body, boolean ndjson)
      throws IOException {
    String requestId = "api-" + UUID.randomUUID();
    Map<Long, ItemResult> results = new TreeMap<>();
    IntakeSession session =
        new IntakeSession(
            publisher,
            topics,
            district.id(),
            requestId,
            new IntakeSession.Listener() {
              @Override
              public void accepted(long row, String submissionId) {
                synchronized (results) {
                  results.put(row, new ItemResult(row, submissionId, "accepted", List.of()));
                }
              }

              @Override
              public void rejected(Receipt.RejectedRow rejection) {
                synchronized (results) {
                  results.put(
                      rejection.row(),
                      new ItemResult(
                          rejection.row(),
                          rejection.submissionId(),
                          "rejected",
                          rejection.reasons()));
                }
              }
            },
            metrics);
    Request request =
        new Request(
            session,
            district,
            directory.schoolIds(district.id()),
            new Pseudonymizer(district.secret()),
            new HashMap<>(),
            Instant.now(),
            requestId);
    boolean single = false;
    long index = 0;
    if (ndjson) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = json.readTree(line);
        } catch (JsonProcessingException e) {
          malformed(request, index++, "line is not valid JSON: " + e.getOriginalMessage());
          continue;
        }
        handle(request, index++, node);
      }
    } else {
      try (JsonParser parser = json.createParser(body)) {
        JsonToken first = parser.nextToken();
        if (first == JsonToken.START_OBJECT) {
          single = true;
          handle(request, index++, json.readTree(parser));
        } else if (first == JsonToken.START_ARRAY) {
          try {
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              handle(request, index++, json.readTree(parser));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
              malformed(request, index++, "array element is not a JSON object");
            }
          } catch (JsonProcessingException e) {
            malformed(
                request,
                index++,
                "the rest of the body is not valid JSON ("
                    + e.getOriginalMessage()
                    + "); earlier items were processed");
          }
        } else {
          throw new JsonBodyException("body must be a JSON object or an array of objects");
        }
      }
    }
    session.finish();
    List<ItemResult> items;
    synchronized (results) {
      items = List.copyOf(results.values());
    }
    return new Result(
        requestId,
        single,
        session.rows(),
        session.accepted(),
        session.rejected(),
        session.kafkaFailure(),
        items);
  }

  private void malformed(Request request, long index, String message) {
    String requestId = request.requestId();
    request
        .session()
        .reject(
            index,
            null,
            null,
            List.of(new Rejection(ReasonCode.MALFORMED, null, message)),
            new SubmissionSource(SourceChannel.API, requestId, index, null),
            new IntakeSession.DeadLetterContext(null, null, null, null),
            Map.of());
  }

  /** What every item of one request shares. */
  private record Request(
      IntakeSession session,
      DistrictSettings district,
      Set<String> schools,
      Pseudonymizer pseudonymizer,
      Map<String, SubmissionValidator> validators,
      Instant receivedAt,
      String requestId) {}

  private void handle(Request request, long index, JsonNode node) {
    IntakeSession session = request.session();
    DistrictSettings district = request.district();
    Pseudonymizer pseudonymizer = request.pseudonymizer();
    String requestId = request.requestId();
    SubmissionSource source = new SubmissionSource(SourceChannel.API, requestId, index, null);
    List<Rejection> shape = new ArrayList<>();
    SubmissionDraft draft = draft(node, district.id(), shape);
    Map<String, String> raw = flatten(node);
    var context =
        new IntakeSession.DeadLetterContext(
            draft.schoolId(), draft.cycle(), draft.instrumentId(), draft.instrumentVersion());
    if (!shape.isEmpty()) {
      String key =
          draft.respondentId() == null ? null : pseudonymizer.respondentKey(draft.respondentId());
      session.reject(
          index,
          null,
          draft.submissionId(),
          shape,
          source,
          context,
          Sanitizer.sanitize(raw, "/respondent_id", key, Set.of("/free_text")));
      return;
    }
    Optional<Instrument> instrument =
        draft.instrumentVersion() == null
            ? directory.latestInstrument(district.id(), draft.instrumentId())
            : directory.instrument(district.id(), draft.instrumentId(), draft.instrumentVersion());
    SubmissionValidator validator =
        request
            .validators()
            .computeIfAbsent(
                draft.instrumentId()
                    + "@"
                    + instrument.map(i -> String.valueOf(i.version())).orElse("?"),
                k ->
                    new SubmissionValidator(
                        instrument.orElse(null),
                        request.schools(),
                        pseudonymizer,
                        district.timezone()));
    var outcome = validator.validate(draft, request.receivedAt(), source);
    if (outcome instanceof SubmissionValidator.Outcome.Valid valid) {
      session.submit(index, null, valid.submission());
    } else if (outcome instanceof SubmissionValidator.Outcome.Invalid invalid) {
      session.reject(
          index,
          null,
          draft.submissionId(),
          invalid.reasons(),
          source,
          context,
          Sanitizer.sanitize(raw, "/respondent_id", invalid.respondentKey(), Set.of("/free_text")));
    }
  }

  /** Reads a JSON submission into a draft, reporting fields of the wrong shape. */
  private SubmissionDraft draft(JsonNode node, String districtId, List<Rejection> problems) {
    if (!node.isObject()) {
      problems.add(new Rejection(ReasonCode.MALFORMED, "", "a submission must be a JSON object"));
      return emptyDraft(districtId);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            new Rejection(
                ReasonCode.MALFORMED,
                "/" + name,
                "unknown field '" + name + "'; known fields: " + new java.util.TreeSet<>(FIELDS)));
      }
    }
    Map<String, String> locations = new HashMap<>();
    Map<String, String> answers = new LinkedHashMap<>();
    objectField(node, "answers", problems)
        .fields()
        .forEachRemaining(
            e -> {
              answers.put(e.getKey(), scalar(e.getValue(), "/answers/" + e.getKey(), problems));
              locations.put("answers/" + e.getKey(), "/answers/" + e.getKey());
            });
    Map<String, Map<String, String>> influence = new LinkedHashMap<>();
    objectField(node, "influence", problems)
        .fields()
        .forEachRemaining(
            area -> {
              locations.put("influence/" + area.getKey(), "/influence/" + area.getKey());
              Map<String, String> groups = new LinkedHashMap<>();
              if (!area.getValue().isObject()) {
                problems.add(
                    new Rejection(
                        ReasonCode.MALFORMED,
                        "/influence/" + area.getKey(),
                        "must be an object of group -> rating"));
              }
              area.getValue()
                  .fields()
                  .forEachRemaining(
                      g -> {
                        String where = "/influence/" + area.getKey() + "/" + g.getKey();
                        groups.put(g.getKey(), scalar(g.getValue(), where, problems));
                        locations.put("influence/" + area.getKey() + "/" + g.getKey(), where);
                      });
              influence.put(area.getKey(), groups);
            });
    Map<String, List<String>> reflection = new LinkedHashMap<>();
    objectField(node, "reflection", problems)
        .fields()
        .forEachRemaining(
            e -> {
              reflection.put(
                  e.getKey(), strings(e.getValue(), "/reflection/" + e.getKey(), problems));
              locations.put("reflection/" + e.getKey(), "/reflection/" + e.getKey());
            });
    Map<String, String> freeText = new LinkedHashMap<>();
    objectField(node, "free_text", problems)
        .fields()
        .forEachRemaining(e -> freeText.put(e.getKey(), e.getValue().asText()));
    for (String field :
        List.of(
            "submission_id",
            "school_id",
            "cycle",
            "respondent_id",
            "role",
            "submitted_at",
            "cohort_tags",
            "instrument")) {
      locations.put(field, "/" + field);
    }
    Integer version = null;
    if (node.hasNonNull("instrument_version")) {
      if (node.get("instrument_version").canConvertToInt()
          && node.get("instrument_version").isIntegralNumber()) {
        version = node.get("instrument_version").asInt();
      } else {
        problems.add(
            new Rejection(ReasonCode.MALFORMED, "/instrument_version", "must be a whole number"));
      }
    }
    String submissionId = text(node, "submission_id", problems);
    if (submissionId == null) {
      submissionId = contentId(districtId, node);
    }
    return new SubmissionDraft(
        submissionId,
        districtId,
        text(node, "school_id", problems),
        text(node, "cycle", problems),
        Optional.ofNullable(text(node, "instrument", problems)).orElse(Instrument.DEFAULT_ID),
        version,
        text(node, "respondent_id", problems),
        text(node, "role", problems),
        node.has("cohort_tags")
            ? strings(node.get("cohort_tags"), "/cohort_tags", problems)
            : List.of(),
        text(node, "submitted_at", problems),
        answers,
        influence,
        reflection,
        freeText,
        locations);
  }

  private static SubmissionDraft emptyDraft(String districtId) {
    return new SubmissionDraft(
        null,
        districtId,
        null,
        null,
        Instrument.DEFAULT_ID,
        null,
        null,
        null,
        List.of(),
        null,
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of());
  }

  private static JsonNode objectField(JsonNode node, String field, List<Rejection> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    if (!value.isObject()) {
      problems.add(
          new Rejection(
              ReasonCode.MALFORMED, "/" + field, "'" + field + "' must be a JSON object"));
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    return value;
  }

  private static String text(JsonNode node, String field, List<Rejection> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      problems.add(
          new Rejection(ReasonCode.MALFORMED, "/" + field, "'" + field + "' must be a string"));
      return null;
    }
    return value.asText();
  }

  private static String scalar(JsonNode value, String where, List<Rejection> problems) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isValueNode()) {
      problems.add(
          new Rejection(ReasonCode.MALFORMED, where, "must be a number or an answer label"));
      return "";
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode value, String where, List<Rejection> problems) {
    List<String> list = new ArrayList<>();
    if (value.isTextual()) {
      list.add(value.asText());
    } else if (value.isArray()) {
      value.forEach(
          v -> {
            if (v.isValueNode()) {
              list.add(v.asText());
            } else {
              problems.add(new Rejection(ReasonCode.MALFORMED, where, "must be a list of strings"));
            }
          });
    } else if (!value.isNull()) {
      problems.add(new Rejection(ReasonCode.MALFORMED, where, "must be a list of strings"));
    }
    return list;
  }

  /** A deterministic id from the item's content, so a retried request does not count twice. */
  private static String contentId(String districtId, JsonNode node) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(districtId.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(canonical(node).getBytes(StandardCharsets.UTF_8));
      return "api-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JSON text with object keys sorted, so key order does not change the id. */
  static String canonical(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, String> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      StringBuilder s = new StringBuilder("{");
      sorted.forEach(
          (k, v) ->
              s.append(
                      com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                          .quoteAsString(k))
                  .append(':')
                  .append(v)
                  .append(','));
      return s.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder s = new StringBuilder("[");
      node.forEach(v -> s.append(canonical(v)).append(','));
      return s.append(']').toString();
    }
    return node.toString();
  }

  /** JSON pointer -> scalar value, for the dead letter's raw content. */
  private static Map<String, String> flatten(JsonNode node) {
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", node, flat);
    return flat;
  }

  private static void flatten(String pointer, JsonNode node, Map<String, String> flat) {
    if (flat.size() > 500) {
      return;
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(pointer + "/" + e.getKey(), e.getValue(), flat));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(pointer + "/" + i, node.get(i), flat);
      }
    } else if (pointer.startsWith("/free_text")) {
      flat.put("/free_text", "");
    } else {
      flat.put(pointer, node.asText());
    }
  }

  /** The body is not a JSON object or array at all. */
  public static final class JsonBodyException extends IOException {
    public JsonBodyException(String message) {
      super(message);
    }
  }
}

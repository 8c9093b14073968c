package dev.chorus.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writes RFC 9457 {@code application/problem+json} responses. */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  static void write(Context ctx, ObjectMapper json, ApiException e) {
    e.headers().forEach(ctx::header);
    ctx.status(e.status()).contentType(CONTENT_TYPE).result(body(json, e, ctx.path()).toString());
  }

  /** The problem document of {@code e} for the resource at {@code instance}. */
  static ObjectNode body(ObjectMapper json, ApiException e, String instance) {
    ObjectNode body = json.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", e.title());
    body.put("status", e.status());
    body.put("detail", e.getMessage());
    body.put("instance", instance);
    if (!e.errors().isEmpty()) {
      ArrayNode errors = body.putArray("errors");
      for (ApiException.FieldError error : e.errors()) {
        ObjectNode node = errors.addObject();
        if (error.pointer() != null) {
          node.put("pointer", error.pointer());
        }
        node.put("code", error.code());
        node.put("detail", error.detail());
      }
    }
    e.extensions().forEach((key, value) -> body.set(key, json.valueToTree(value)));
    return body;
  }
}

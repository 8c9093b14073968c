package dev.chorus.ingest.http;

import java.util.List;
import java.util.Map;

/** An error answered as RFC 9457 problem details. */
public class ApiException extends RuntimeException {

  /** One field-level problem: a JSON pointer (or column), a code and what to do. */
  public record FieldError(String pointer, String code, String detail) {}

  private final int status;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;
  private final Map<String, Object> extensions;

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, List.of(), Map.of(), Map.of());
  }

  public ApiException(
      int status,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, String> headers,
      Map<String, Object> extensions) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
    this.extensions = Map.copyOf(extensions);
  }

  /** A 422 listing problems that have no single field pointer, each with {@code code}. */
  public static ApiException unprocessable(
      String title, String detail, String code, List<String> problems) {
    return new ApiException(
        422,
        title,
        detail,
        problems.stream().map(p -> new FieldError(null, code, p)).toList(),
        Map.of(),
        Map.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}

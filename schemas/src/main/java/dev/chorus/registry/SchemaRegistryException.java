package dev.chorus.registry;

/**
 * A schema-registry call failed. The message always names the registry URL and, where known, the
 * subject and schema id, so an operator can reproduce the call.
 */
public class SchemaRegistryException extends RuntimeException {

  /** Confluent error code for an unknown subject. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code for an unknown version of a subject. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Confluent error code for an unknown schema (id, or schema not under a subject). */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Confluent error code for a subject without subject-level compatibility configured. */
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

  /** Confluent error code for a schema incompatible with earlier versions of its subject. */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Confluent error code for a schema that does not parse. */
  public static final int INVALID_SCHEMA = 42201;

  /** Confluent error code for an invalid compatibility level. */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

  /** Error code used when the registry could not be reached at all. */
  public static final int UNREACHABLE = -1;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the failed call, or -1 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The Confluent error code (e.g. 40401), the HTTP status when none was given, or -1. */
  public int errorCode() {
    return errorCode;
  }
}

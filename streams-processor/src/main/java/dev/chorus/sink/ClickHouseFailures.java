package dev.chorus.sink;

import com.clickhouse.client.api.ServerException;
import java.util.Set;

/** Which ClickHouse failures are worth retrying (the server or network will recover by itself). */
final class ClickHouseFailures {

  /**
   * Server error codes that retrying cannot fix: the model or the access rights are wrong, and an
   * operator must act. Everything else (connection refused, timeouts, too many parts, memory
   * limits, a server restarting) is retried with backoff.
   */
  private static final Set<Integer> PERMANENT =
      Set.of(
          16, // NO_SUCH_COLUMN_IN_TABLE
          27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
          33, // CANNOT_READ_ALL_DATA (rows do not match the table)
          47, // UNKNOWN_IDENTIFIER
          53, // TYPE_MISMATCH
          60, // UNKNOWN_TABLE
          62, // SYNTAX_ERROR
          81, // UNKNOWN_DATABASE
          164, // READONLY
          192, // UNKNOWN_USER
          497, // ACCESS_DENIED
          516 // AUTHENTICATION_FAILED
          );

  private ClickHouseFailures() {}

  /** Whether {@code failure} (or its cause) is a server error that retrying cannot fix. */
  static boolean permanent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ServerException e) {
        return PERMANENT.contains(e.getCode());
      }
    }
    return false;
  }
}

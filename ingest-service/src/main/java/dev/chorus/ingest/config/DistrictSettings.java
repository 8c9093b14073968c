package dev.chorus.ingest.config;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * One district's settings: its pseudonymization secret, the zone of its exports' local timestamps,
 * its API tokens (stored as SHA-256 hashes) and its request rate limit.
 */
public record DistrictSettings(
    String id, byte[] secret, ZoneId timezone, List<Token> tokens, int requestsPerMinute) {

  /** What a token may do. */
  public enum Scope {
    /** Submit JSON and uploads, read own receipts. */
    SUBMIT,
    /** Manage instruments, schools, rosters and mappings. */
    ADMIN
  }

  /** An API token: its name (for logs), the SHA-256 of its secret value, its scopes. */
  public record Token(String name, byte[] sha256, Set<Scope> scopes) {}
}

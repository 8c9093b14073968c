package dev.chorus.ingest.http;

import dev.chorus.ingest.config.DistrictSettings;
import dev.chorus.ingest.config.DistrictSettings.Scope;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer-token authentication and authorization: tokens are stored only as SHA-256 hashes and
 * compared in constant time; a token belongs to one district and can never act on another; each
 * token has its own request rate limit.
 */
public final class Auth {

  /** An authenticated caller. */
  public record Caller(DistrictSettings district, DistrictSettings.Token token) {}

  private final Map<String, DistrictSettings> districts;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public Auth(Map<String, DistrictSettings> districts) {
    this.districts = districts;
  }

  /**
   * Authenticates the request and checks it may use {@code scope} on {@code district}.
   *
   * @throws ApiException 401 without a valid token, 403 for another district or a missing scope,
   *     429 past the token's rate limit
   */
  public Caller require(String authorization, String district, Scope scope) {
    Caller caller = authenticate(authorization);
    if (!caller.district().id().equals(district)) {
      throw new ApiException(
          403,
          "Forbidden",
          "this token belongs to another district and cannot access district '" + district + "'");
    }
    if (!caller.token().scopes().contains(scope)) {
      throw new ApiException(
          403,
          "Forbidden",
          "this token lacks the '" + scope.name().toLowerCase(java.util.Locale.ROOT) + "' scope");
    }
    limit(caller);
    return caller;
  }

  /**
   * Authenticates a read of {@code district}'s data: any scope may read its own district.
   *
   * @throws ApiException 401, 403 for another district, 429 past the rate limit
   */
  public Caller requireRead(String authorization, String district) {
    Caller caller = authenticate(authorization);
    if (!caller.district().id().equals(district)) {
      throw new ApiException(
          403,
          "Forbidden",
          "this token belongs to another district and cannot access district '" + district + "'");
    }
    limit(caller);
    return caller;
  }

  /** Authenticates without a district check (the caller's district is then the resource's). */
  public Caller authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("send 'Authorization: Bearer <token>'");
    }
    byte[] presented = sha256(authorization.substring(7).trim());
    Caller match = null;
    // Compare against every token, in constant time each, so timing reveals nothing.
    for (DistrictSettings district : districts.values()) {
      for (DistrictSettings.Token token : district.tokens()) {
        if (MessageDigest.isEqual(presented, token.sha256())) {
          match = new Caller(district, token);
        }
      }
    }
    if (match == null) {
      throw unauthorized("the token is not valid");
    }
    return match;
  }

  private void limit(Caller caller) {
    Bucket bucket =
        buckets.computeIfAbsent(
            caller.district().id() + "/" + caller.token().name(),
            k ->
                Bucket.builder()
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(caller.district().requestsPerMinute())
                            .refillGreedy(
                                caller.district().requestsPerMinute(), Duration.ofMinutes(1))
                            .build())
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
      throw new ApiException(
          429,
          "Too Many Requests",
          "rate limit of "
              + caller.district().requestsPerMinute()
              + " requests per minute reached for this token",
          java.util.List.of(),
          Map.of("Retry-After", Long.toString(seconds)),
          Map.of());
    }
  }

  private static ApiException unauthorized(String detail) {
    return new ApiException(
        401,
        "Unauthorized",
        detail,
        java.util.List.of(),
        Map.of("WWW-Authenticate", "Bearer realm=\"chorus\""),
        Map.of());
  }

  /** SHA-256 of a token, as stored in the districts file. */
  public static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

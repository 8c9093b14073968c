package dev.chorus.ingest.validation;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a respondent identifier (email, staff id) into the pseudonymous respondent key: HMAC-SHA256
 * with the district's secret, over the identifier trimmed and lower-cased (so "Jane@X.org " and
 * "jane@x.org" are the same person). Without the secret the key cannot be joined back to a person.
 */
public final class Pseudonymizer {

  private final ThreadLocal<Mac> macs;

  public Pseudonymizer(byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("pseudonymization secret is empty");
    }
    SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
    // Mac.getInstance is a provider lookup: do it once per thread, not once per row.
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
              }
            });
  }

  /** The respondent key of {@code identifier}, as 64 hex characters. */
  public String respondentKey(String identifier) {
    byte[] digest =
        macs.get()
            .doFinal(identifier.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest);
  }
}

package dev.chorus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The district configuration of the local run: one district ({@value #DISTRICT}) with a random
 * pseudonymization secret and a random admin token, created on first start in the data directory
 * and kept (owner-readable only) so restarts keep the same respondent keys and token.
 */
public final class LocalDistricts {

  /** The local district's id. */
  public static final String DISTRICT = "demo";

  private LocalDistricts() {}

  /** The districts file and the local token, created if missing. */
  public record LocalFiles(Path districtsFile, String token) {}

  /** Ensures the files exist under {@code ingestDir}; returns them. */
  public static LocalFiles ensure(Path ingestDir) {
    try {
      Files.createDirectories(ingestDir);
      Path districts = ingestDir.resolve("districts.yaml");
      Path tokenFile = ingestDir.resolve("local-token");
      if (!Files.exists(districts) || !Files.exists(tokenFile)) {
        String token = "chorus-local-" + random(24);
        write(tokenFile, token + "\n");
        write(
            districts,
            """
            # Local run only: written by ./chorus up on first start. Production districts files hold
            # real secrets (via secret_env) and hashed tokens; see docs/operators.md.
            districts:
              %s:
                secret: "%s"
                timezone: UTC
                requests_per_minute: 100000
                tokens:
                  - {name: local-admin, sha256: "%s", scopes: [submit, admin]}
            """
                .formatted(DISTRICT, random(32), sha256(token)));
      }
      return new LocalFiles(districts, Files.readString(tokenFile).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare local district files in " + ingestDir, e);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; the data directory's own permissions apply
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    new SecureRandom().nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

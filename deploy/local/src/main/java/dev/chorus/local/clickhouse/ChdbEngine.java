package dev.chorus.local.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the modern ClickHouse engine for the local run and the tests: {@code libchdb.so} from
 * the npm package {@value #PACKAGE}@{@value #VERSION} (ClickHouse 26.7, Apache-2.0), fetched once
 * with {@code npm pack}, checked against its published integrity hash, and cached outside the
 * repository.
 */
public final class ChdbEngine {

  /** npm package carrying the engine. */
  public static final String PACKAGE = "@chdb/lib-linux-x64-gnu";

  /** Pinned package version; 26.7 is the first whose local mode can listen on ports. */
  public static final String VERSION = "26.7.3-stable.1";

  /** npm's integrity value for the pinned tarball. */
  public static final String INTEGRITY =
      "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw==";

  /** Environment variable pointing at an existing libchdb.so, skipping the download. */
  public static final String LIB_ENV = "CHORUS_CHDB_LIB";

  /** Environment variable moving the download cache (default {@code ~/.cache/chorus}). */
  public static final String CACHE_ENV = "CHORUS_CACHE_DIR";

  private static final Logger LOG = LoggerFactory.getLogger(ChdbEngine.class);
  private static final String LIBRARY = "libchdb.so";
  private static final long NPM_TIMEOUT_MINUTES = 20;

  private ChdbEngine() {}

  /** The default cache directory: {@code $CHORUS_CACHE_DIR} or {@code ~/.cache/chorus}. */
  public static Path defaultCacheDir() {
    String configured = System.getenv(CACHE_ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "chorus");
  }

  /**
   * Returns the path of {@code libchdb.so}, downloading and verifying it into {@code cacheDir} on
   * first use. Safe to call from concurrent processes (a file lock serializes the download).
   */
  public static Path ensureInstalled(Path cacheDir) {
    return ensureInstalled(cacheDir, "npm");
  }

  /**
   * As {@link #ensureInstalled(Path)}, with the npm executable to use (tests pass a missing one).
   */
  static Path ensureInstalled(Path cacheDir, String npmCommand) {
    String override = System.getenv(LIB_ENV);
    if (override != null && !override.isBlank()) {
      Path lib = Path.of(override);
      if (!Files.isRegularFile(lib)) {
        throw new IllegalStateException(LIB_ENV + "=" + override + " does not name a file");
      }
      return lib;
    }
    checkPlatform();
    Path home = cacheDir.resolve("chdb").resolve(VERSION);
    Path lib = home.resolve(LIBRARY);
    Path complete = home.resolve(".verified");
    if (Files.exists(complete) && Files.isRegularFile(lib)) {
      return lib;
    }
    try {
      Files.createDirectories(home);
      try (FileChannel lockFile =
              FileChannel.open(
                  home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (Files.exists(complete) && Files.isRegularFile(lib)) {
          return lib;
        }
        download(home, lib, npmCommand);
        Files.writeString(complete, INTEGRITY);
        return lib;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot install the ClickHouse engine into " + home, e);
    }
  }

  private static void checkPlatform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "The local ClickHouse engine ("
              + PACKAGE
              + ") runs on Linux x86-64 only, this is "
              + os
              + "/"
              + arch
              + ". Point Chorus at an existing ClickHouse instead (see docs/operators.md).");
    }
  }

  private static void download(Path home, Path lib, String npmCommand) throws IOException {
    Path work = Files.createTempDirectory(home, "download-");
    try {
      LOG.info(
          "Fetching the ClickHouse engine {}@{} with npm (~180 MB, once; cached in {})",
          PACKAGE,
          VERSION,
          home);
      Path npmLog = work.resolve("npm.log");
      Process npm;
      try {
        npm =
            new ProcessBuilder(
                    npmCommand,
                    "pack",
                    PACKAGE + "@" + VERSION,
                    "--pack-destination",
                    work.toString())
                .redirectErrorStream(true)
                .redirectOutput(npmLog.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "npm is needed once to fetch the local ClickHouse engine ("
                + PACKAGE
                + "@"
                + VERSION
                + ") but could not be run: "
                + e.getMessage()
                + ". Install Node.js with npm, or set "
                + LIB_ENV
                + " to an existing libchdb.so.",
            e);
      }
      boolean finished;
      try {
        finished = npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        npm.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while npm fetched the ClickHouse engine", e);
      }
      if (!finished) {
        npm.destroyForcibly();
        throw new IllegalStateException(
            "npm pack "
                + PACKAGE
                + "@"
                + VERSION
                + " did not finish in "
                + NPM_TIMEOUT_MINUTES
                + " minutes");
      }
      if (npm.exitValue() != 0) {
        throw new IllegalStateException(
            "npm pack "
                + PACKAGE
                + "@"
                + VERSION
                + " failed (exit "
                + npm.exitValue()
                + "); is the npm registry reachable? npm said:\n"
                + tail(npmLog));
      }
      Path tarball;
      try (Stream<Path> files = Files.list(work)) {
        tarball =
            files
                .filter(p -> p.getFileName().toString().endsWith(".tgz"))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "npm pack produced no .tgz in " + work + ":\n" + tail(npmLog)));
      }
      verify(tarball);
      extract(tarball, lib);
      LOG.info("ClickHouse engine installed: {}", lib);
    } finally {
      deleteRecursively(work);
    }
  }

  /** Checks a tarball against {@link #INTEGRITY}; throws naming both hashes on mismatch. */
  static void verify(Path tarball) throws IOException {
    String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512(tarball));
    if (!actual.equals(INTEGRITY)) {
      throw new IllegalStateException(
          "Integrity check failed for "
              + tarball.getFileName()
              + ": expected "
              + INTEGRITY
              + ", got "
              + actual
              + ". The download is corrupt or not the pinned package; nothing was installed.");
    }
  }

  private static byte[] sha512(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-512");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is not available in this JVM", e);
    }
  }

  private static void extract(Path tarball, Path lib) throws IOException {
    Path partial = lib.resolveSibling(LIBRARY + ".partial");
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new GzipCompressorInputStream(
                new java.io.BufferedInputStream(Files.newInputStream(tarball), 1 << 16)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals("package/" + LIBRARY)) {
          Files.copy(tar, partial, StandardCopyOption.REPLACE_EXISTING);
          Files.move(
              partial, lib, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return;
        }
      }
    }
    throw new IllegalStateException(tarball.getFileName() + " holds no package/" + LIBRARY);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no npm output)";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

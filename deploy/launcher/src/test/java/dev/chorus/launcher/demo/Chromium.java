package dev.chorus.launcher.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium} package) for the end-to-end page test: installed
 * with apt-get by the test itself when missing, run with a fresh profile and no background
 * networking.
 */
final class Chromium {

  static final Path BINARY = Path.of("/usr/bin/chromium");

  private Chromium() {}

  /** Installs Debian's chromium package if it is not there yet. */
  static synchronized void ensureInstalled(Path log) throws Exception {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    Files.createDirectories(log.getParent());
    for (List<String> command :
        List.of(
            List.of("apt-get", "update", "-qq"),
            List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"))) {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "Installing Chromium failed (" + String.join(" ", command) + "); see " + log);
      }
    }
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("apt-get installed chromium but " + BINARY + " is missing");
    }
  }

  /** The page's DOM after its scripts ran. */
  static String dumpDom(String url, Path profile) throws Exception {
    return run(profile, List.of("--dump-dom", url));
  }

  /** Saves a screenshot of the page. */
  static void screenshot(String url, Path profile, Path png, int width, int height)
      throws Exception {
    Files.createDirectories(png.getParent());
    run(
        profile,
        List.of(
            "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, url));
    if (!Files.exists(png)) {
      throw new IllegalStateException("Chromium wrote no screenshot " + png);
    }
  }

  private static String run(Path profile, List<String> args)
      throws IOException, InterruptedException {
    Files.createDirectories(profile);
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=20000",
            "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium did not finish: " + command);
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8);
  }
}

package dev.chorus.launcher.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What the benchmarks share: child JVMs, readiness, Prometheus scrapes, peak RSS. */
final class BenchSupport {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private BenchSupport() {}

  /** Starts {@code mainClass} on this classpath in its own JVM, output to {@code log}. */
  static Process java(String mainClass, Map<String, String> env, Path log, String... jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Waits until {@code url} answers 200, failing early if {@code process} exits. */
  static void awaitOk(String url, Process process, String what) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited; see its log");
      }
      try {
        if (get(url).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(what + " did not become ready");
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sum of the Prometheus samples at {@code metricsUrl} whose line starts with {@code prefix}. */
  static double metric(String metricsUrl, String prefix) throws Exception {
    return sum(get(metricsUrl).body(), prefix);
  }

  /** Sum of the samples of a Prometheus text exposition whose line starts with {@code prefix}. */
  static double sum(String exposition, String prefix) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** A process's peak resident set size (VmHWM), e.g. "356424 kB". */
  static String peakRss(long pid) throws IOException {
    return Files.readString(Path.of("/proc/" + pid + "/status"))
        .lines()
        .filter(l -> l.startsWith("VmHWM"))
        .findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .orElse("?");
  }

  /**
   * JVM options of a benchmarked service: the environment variable {@code variable} (split at
   * whitespace) when set, otherwise {@code defaults}.
   */
  static List<String> jvmOptions(String variable, String defaults) {
    return List.of(System.getenv().getOrDefault(variable, defaults).trim().split("\\s+"));
  }

  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

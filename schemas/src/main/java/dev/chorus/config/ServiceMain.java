package dev.chorus.config;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** What every service's {@code main} does around its own work: settings, and a clean stop. */
public final class ServiceMain {

  private ServiceMain() {}

  /**
   * The service's settings from the environment; on a bad value prints the message (which names
   * every bad variable) and exits with status 2.
   */
  public static <C> C settingsOrExit(Function<Map<String, String>, C> read) {
    try {
      return read.apply(environment());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  /**
   * The environment variables, with JVM system properties named {@code CHORUS_…} taking precedence
   * (e.g. {@code java -DCHORUS_INGEST_PORT=9090 …}).
   */
  public static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith("CHORUS_")) {
                env.put(k.toString(), v.toString());
              }
            });
    return env;
  }

  /** Closes {@code service} on SIGTERM or Ctrl-C; the latch opens once it is closed. */
  public static CountDownLatch closeOnShutdown(AutoCloseable service, String threadName) {
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    service.close();
                  } catch (Exception e) {
                    System.err.println("Stopping failed: " + e);
                  } finally {
                    closed.countDown();
                  }
                },
                threadName));
    return closed;
  }
}

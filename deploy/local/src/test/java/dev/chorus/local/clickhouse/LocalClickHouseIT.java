package dev.chorus.local.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of the local ClickHouse process: data survives restarts and no process outlives us. */
class LocalClickHouseIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String query(LocalClickHouse clickhouse, String sql) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(clickhouse.httpUrl() + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s -> %s", sql, response.body()).isEqualTo(200);
    return response.body().trim();
  }

  @Test
  void dataSurvivesARestartAndCloseEndsTheProcess(@TempDir Path home) throws Exception {
    Path engine = ChdbEngine.ensureInstalled(ChdbEngine.defaultCacheDir());
    long pid;
    try (LocalClickHouse first = LocalClickHouse.start(engine, home, 0, 0, null)) {
      pid = first.pid();
      query(first, "CREATE DATABASE IF NOT EXISTS lifecycle");
      query(first, "CREATE TABLE lifecycle.t (x UInt32) ENGINE = MergeTree ORDER BY x");
      query(first, "INSERT INTO lifecycle.t SELECT number FROM numbers(1000)");
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isIn(Optional.empty(), Optional.of(false));

    try (LocalClickHouse second = LocalClickHouse.start(engine, home, 0, 0, null)) {
      assertThat(query(second, "SELECT count(), sum(x) FROM lifecycle.t"))
          .isEqualTo("1000\t499500");
    }
  }

  @Test
  void clickHouseExitsWhenItsParentIsKilled(@TempDir Path home) throws Exception {
    Path engine = ChdbEngine.ensureInstalled(ChdbEngine.defaultCacheDir());
    Process holder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ClickHouseHolder.class.getName(),
                    engine.toString(),
                    home.toString()))
            .redirectErrorStream(true)
            .start();
    long clickhousePid = -1;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("pid=")) {
          clickhousePid = Long.parseLong(line.substring(4));
          break;
        }
      }
      assertThat(clickhousePid).as("the holder printed the ClickHouse pid").isPositive();
      assertThat(ProcessHandle.of(clickhousePid).map(ProcessHandle::isAlive)).contains(true);

      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (ProcessHandle.of(clickhousePid).map(ProcessHandle::isAlive).orElse(false)
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ProcessHandle.of(clickhousePid).map(ProcessHandle::isAlive).orElse(false))
          .as("ClickHouse (pid %d) outlived its SIGKILLed parent", clickhousePid)
          .isFalse();
    } finally {
      holder.destroyForcibly();
      ProcessHandle.of(clickhousePid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}

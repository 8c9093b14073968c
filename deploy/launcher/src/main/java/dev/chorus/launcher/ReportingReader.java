package dev.chorus.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the reporting views as an analyst over ClickHouse's HTTP interface (demo, benchmarks). */
public final class ReportingReader {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final String user;
  private final String password;

  public ReportingReader(String clickhouseHttpUrl, String user, String password) {
    this.url = clickhouseHttpUrl;
    this.user = user;
    this.password = password;
  }

  /** Rows as column → text (TabSeparatedWithNames). */
  public List<Map<String, String>> rows(String sql) {
    URI uri = URI.create(url + "/?default_format=TabSeparatedWithNames");
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("X-ClickHouse-User", user)
                  .header("X-ClickHouse-Key", password)
                  .POST(HttpRequest.BodyPublishers.ofString(sql))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("ClickHouse answered " + r.body());
      }
      String[] lines = r.body().split("\n");
      List<Map<String, String>> rows = new ArrayList<>();
      if (lines.length == 0 || lines[0].isEmpty()) {
        return rows;
      }
      String[] names = lines[0].split("\t", -1);
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isEmpty()) {
          continue;
        }
        String[] values = lines[i].split("\t", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < names.length; c++) {
          row.put(names[c], values[c].equals("\\N") ? null : values[c]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.chorus.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls the ingest API of one district with a bearer token, as a district's tools would (the demo,
 * tests). Thread-safe. (The freshness benchmark keeps its own bare sender: with this client its
 * latency tail measured worse, cause not found, so its figures stay comparable.)
 */
public final class IngestClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  /**
   * @param ingestUrl e.g. {@code http://127.0.0.1:8080}
   * @param token a token allowed to write {@code district}
   */
  public IngestClient(String ingestUrl, String district, String token) {
    this.base = ingestUrl + "/v1/districts/" + district + "/";
    this.token = token;
  }

  /**
   * Sends {@code body} to {@code path} (relative to the district, e.g. {@code "submissions"});
   * returns the response body.
   *
   * @throws IOException also when the answer is not 2xx (the message carries status and body)
   */
  public String send(String method, String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .timeout(Duration.ofMinutes(2))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}

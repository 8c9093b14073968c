package dev.chorus.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the response to each {@code Idempotency-Key} (per district) on disk, so a retried POST
 * gets the original answer and produces nothing again.
 */
public final class IdempotencyStore {

  /** A stored response and the request it answered. */
  public record Stored(String fingerprint, int status, String contentType, String body) {}

  private final Path dir;
  private final ObjectMapper json;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public IdempotencyStore(Path dir, ObjectMapper json) {
    this.dir = dir;
    this.json = json;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  private static String fileName(String district, String key) {
    return HexFormat.of().formatHex(Auth.sha256(district + "\u0000" + key)) + ".json";
  }

  /** The stored response for this key, if the request was completed before. */
  public Optional<Stored> find(String district, String key) {
    Path file = dir.resolve(fileName(district, key));
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          json.readValue(Files.readString(file, StandardCharsets.UTF_8), Stored.class));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read idempotency record", e);
    }
  }

  /** Claims a key for a request in progress; false when another request holds it. */
  public boolean begin(String district, String key) {
    return inFlight.add(fileName(district, key));
  }

  /** Stores the final response and releases the key. */
  public void complete(String district, String key, Stored response) {
    String name = fileName(district, key);
    try {
      Path temp = dir.resolve(name + ".tmp");
      Files.writeString(temp, json.writeValueAsString(response), StandardCharsets.UTF_8);
      Files.move(
          temp,
          dir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store idempotency record", e);
    } finally {
      inFlight.remove(name);
    }
  }

  /** Releases a key without storing (the request failed before producing anything durable). */
  public void abandon(String district, String key) {
    inFlight.remove(fileName(district, key));
  }
}

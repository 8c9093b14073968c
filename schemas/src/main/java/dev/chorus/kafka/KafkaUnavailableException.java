package dev.chorus.kafka;

/** Kafka did not acknowledge a write in time; callers answer 503 with Retry-After. */
public class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

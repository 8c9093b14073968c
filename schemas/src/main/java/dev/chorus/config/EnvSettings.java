package dev.chorus.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a service's documented settings from environment variables: defaults, typed lookups, and
 * every problem collected so start-up can name all bad variables at once.
 */
public final class EnvSettings {

  /** One documented setting: its environment variable, default and description. */
  public record Setting(String env, String defaultValue, String doc) {}

  /** Where Kafka, the registry and the topics are: the same for every service. */
  public static final List<Setting> KAFKA =
      List.of(
          new Setting(
              "CHORUS_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "Kafka bootstrap servers"),
          new Setting(
              "CHORUS_SCHEMA_REGISTRY_URL",
              "http://127.0.0.1:8081",
              "Confluent-compatible schema registry URL(s)"),
          new Setting("CHORUS_TOPIC_PREFIX", "chorus.", "prefix of every Chorus topic name"));

  /** {@code first} followed by {@code rest}. */
  @SafeVarargs
  public static List<Setting> concat(List<Setting> first, Setting... rest) {
    List<Setting> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return List.copyOf(all);
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  /** Values of {@code settings} from {@code env}, blank meaning the default. */
  public EnvSettings(List<Setting> settings, Map<String, String> env) {
    for (Setting s : settings) {
      String value = env.get(s.env());
      values.put(s.env(), value == null || value.isBlank() ? s.defaultValue() : value.trim());
    }
  }

  /** The text of a declared setting. */
  public String text(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("undeclared setting " + name);
    }
    return value;
  }

  /** A whole number of at least {@code min}; {@code why} explains the bound in the message. */
  public int number(String name, int min, String why) {
    long n = longNumber(name, min, why);
    if (n > Integer.MAX_VALUE) {
      problem(name + " must be at most " + Integer.MAX_VALUE + ", got " + n);
      return min;
    }
    return (int) n;
  }

  /** A whole number of at least {@code min} that may exceed an int (sizes in bytes). */
  public long longNumber(String name, long min, String why) {
    String value = text(name);
    try {
      long n = Long.parseLong(value);
      if (n < min) {
        problem(
            name + " must be at least " + min + (why.isEmpty() ? "" : " " + why) + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      problem(name + " must be a whole number, got '" + value + "'");
      return min;
    }
  }

  /** A TCP port, 0 meaning any free one. */
  public int port(String name) {
    int port = number(name, 0, "");
    if (port > 65535) {
      problem(name + " must be a port 0..65535, got " + port);
    }
    return port;
  }

  /** {@code true} or {@code false}. */
  public boolean flag(String name) {
    String value = text(name).toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      problem(name + " must be true or false, got '" + value + "'");
    }
    return value.equals("true");
  }

  /** Records a problem with a setting. */
  public void problem(String message) {
    problems.add(message);
  }

  /**
   * Throws if any problem was recorded.
   *
   * @param what the service, for the message ("processor", "sink")
   * @throws IllegalArgumentException listing every problem
   */
  public void validate(String what) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid " + what + " configuration:\n  - " + String.join("\n  - ", problems));
    }
  }
}

package dev.chorus.serde;

import dev.chorus.registry.InMemorySchemaRegistry;
import dev.chorus.registry.RegistryClientConfig;
import dev.chorus.registry.SchemaRegistry;
import dev.chorus.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Set;

/**
 * Serializer and deserializer settings, under Confluent's key names so existing configurations
 * carry over. Registry connection keys are read by {@link RegistryClientConfig}.
 *
 * @param autoRegister register the record's schema under its subject when producing
 * @param useLatestVersion produce with the subject's latest schema instead of the record's own
 * @param specificReader read into generated SpecificRecord classes instead of GenericRecord
 * @param specificType the class to read into, or null to derive it from the writer schema's name
 * @param client the registry: shared when passed in under {@link #CLIENT_INSTANCE}, in memory for a
 *     {@code mock://} URL (unit tests), otherwise a REST client for the configured URL
 */
public record AvroSerdeConfig(
    boolean autoRegister,
    boolean useLatestVersion,
    boolean specificReader,
    Class<?> specificType,
    SchemaRegistry client) {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** A {@link SchemaRegistry} instance to share between serdes (caches included). */
  public static final String CLIENT_INSTANCE = "chorus.schema.registry.client";

  private static final Set<String> TOPIC_NAME_STRATEGIES =
      Set.of("TopicNameStrategy", "io.confluent.kafka.serializers.subject.TopicNameStrategy");

  /**
   * Reads the settings for a key or value serde.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static AvroSerdeConfig fromProperties(Map<String, ?> props, boolean isKey) {
    String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    Object strategy = props.get(strategyKey);
    if (strategy != null && !TOPIC_NAME_STRATEGIES.contains(strategy.toString())) {
      throw new IllegalArgumentException(
          strategyKey + " '" + strategy + "' is not supported; Chorus uses TopicNameStrategy");
    }
    boolean useLatest = bool(props, USE_LATEST_VERSION, false);
    boolean autoRegister = bool(props, AUTO_REGISTER_SCHEMAS, true);
    Class<?> type = type(props, isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    Object shared = props.get(CLIENT_INSTANCE);
    Object url = props.get(RegistryClientConfig.URL);
    SchemaRegistry client;
    if (shared instanceof SchemaRegistry registry) {
      client = registry;
    } else if (url != null && url.toString().startsWith(InMemorySchemaRegistry.SCHEME)) {
      client = InMemorySchemaRegistry.scope(url.toString());
    } else {
      client = new SchemaRegistryClient(RegistryClientConfig.fromProperties(props));
    }
    return new AvroSerdeConfig(
        autoRegister, useLatest, bool(props, SPECIFIC_AVRO_READER, type != null), type, client);
  }

  /** Confluent's TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  private static boolean bool(Map<String, ?> props, String key, boolean fallback) {
    Object value = props.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
  }

  private static Class<?> type(Map<String, ?> props, String key) {
    Object value = props.get(key);
    if (value == null || value instanceof Class<?>) {
      return (Class<?>) value;
    }
    try {
      return Class.forName(value.toString().trim());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(key + " names unknown class '" + value + "'", e);
    }
  }
}

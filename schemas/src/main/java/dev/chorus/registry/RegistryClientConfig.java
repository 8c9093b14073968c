package dev.chorus.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Settings of the schema-registry client, read from the same keys Confluent's clients use so an
 * existing producer or Streams configuration works unchanged.
 *
 * @param urls registry base URLs, tried in order when one is unreachable
 * @param userInfo {@code user:password} for HTTP basic auth, or null
 * @param sslContext TLS settings for https registries, or null for the JVM default
 * @param requestTimeout timeout of one HTTP call
 * @param latestTtl how long a "latest version" lookup is cached
 */
public record RegistryClientConfig(
    List<URI> urls,
    String userInfo,
    SSLContext sslContext,
    Duration requestTimeout,
    Duration latestTtl) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  public RegistryClientConfig {
    if (urls == null || urls.isEmpty()) {
      throw new IllegalArgumentException(URL + " must name at least one registry URL");
    }
    urls = List.copyOf(urls);
  }

  /** A plain-HTTP config for one URL with default timeouts. */
  public static RegistryClientConfig of(String url) {
    return fromProperties(Map.of(URL, url));
  }

  /**
   * Reads the client settings from serializer/Streams properties.
   *
   * @throws IllegalArgumentException naming the bad key
   */
  public static RegistryClientConfig fromProperties(Map<String, ?> props) {
    Object rawUrl = props.get(URL);
    if (rawUrl == null || rawUrl.toString().isBlank()) {
      throw new IllegalArgumentException(URL + " is required (e.g. http://127.0.0.1:8081)");
    }
    List<URI> urls =
        Arrays.stream(rawUrl.toString().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> parseUrl(s))
            .toList();
    String source = string(props, BASIC_AUTH_SOURCE, "USER_INFO");
    String userInfo = string(props, BASIC_AUTH_USER_INFO, null);
    if (userInfo == null) {
      userInfo = urls.get(0).getUserInfo();
    } else if (!"USER_INFO".equals(source)) {
      throw new IllegalArgumentException(
          BASIC_AUTH_SOURCE + " '" + source + "' is not supported; use USER_INFO");
    }
    if (userInfo != null && !userInfo.contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
    }
    Duration timeout = Duration.ofMillis(longValue(props, REQUEST_TIMEOUT_MS, 30_000));
    Duration ttl = Duration.ofSeconds(longValue(props, LATEST_CACHE_TTL_SEC, 60));
    return new RegistryClientConfig(urls, userInfo, sslContext(props), timeout, ttl);
  }

  private static URI parseUrl(String s) {
    URI uri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException(URL + " '" + s + "' must be an http or https URL");
    }
    return uri;
  }

  private static SSLContext sslContext(Map<String, ?> props) {
    String trustLocation = string(props, TRUSTSTORE_LOCATION, null);
    String keyLocation = string(props, KEYSTORE_LOCATION, null);
    if (trustLocation == null && keyLocation == null) {
      return null;
    }
    try {
      TrustManagerFactory tmf = null;
      if (trustLocation != null) {
        KeyStore trust =
            load(
                TRUSTSTORE_LOCATION,
                trustLocation,
                string(props, TRUSTSTORE_TYPE, "PKCS12"),
                string(props, TRUSTSTORE_PASSWORD, ""));
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (keyLocation != null) {
        String storePassword = string(props, KEYSTORE_PASSWORD, "");
        KeyStore keys =
            load(
                KEYSTORE_LOCATION,
                keyLocation,
                string(props, KEYSTORE_TYPE, "PKCS12"),
                storePassword);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, string(props, KEY_PASSWORD, storePassword).toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Invalid schema registry TLS settings: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String key, String location, String type, String password) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          key + " '" + location + "' cannot be read as " + type + ": " + e.getMessage(), e);
    }
  }

  private static String string(Map<String, ?> props, String key, String fallback) {
    Object value = props.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof org.apache.kafka.common.config.types.Password password) {
      return password.value();
    }
    return value.toString();
  }

  private static long longValue(Map<String, ?> props, String key, long fallback) {
    String value = string(props, key, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'", e);
    }
  }
}

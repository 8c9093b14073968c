package dev.chorus.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth and TLS as a production registry requires them, over real HTTP(S) on loopback. */
class RegistryClientTransportTest {

  private static final Schema SCHEMA =
      SchemaBuilder.record("T").fields().requiredInt("a").endRecord();

  private static void answer(HttpExchange exchange, AtomicReference<String> authorization)
      throws java.io.IOException {
    authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
    exchange.getRequestBody().readAllBytes();
    byte[] body = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void sendsBasicAuthCredentials() throws Exception {
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> answer(exchange, authorization));
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      SchemaRegistryClient client =
          new SchemaRegistryClient(
              RegistryClientConfig.fromProperties(
                  Map.of(
                      RegistryClientConfig.URL,
                      url,
                      RegistryClientConfig.BASIC_AUTH_USER_INFO,
                      "chorus:s3cret")));
      assertThat(client.register("t-value", SCHEMA)).isEqualTo(7);
      assertThat(authorization.get()).isEqualTo("Basic Y2hvcnVzOnMzY3JldA==");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void trustsARegistryCertificateFromTheConfiguredTruststore(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("registry.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "registry",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    try (InputStream out = keytool.getInputStream()) {
      out.readAllBytes();
    }
    assertThat(keytool.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keys.getKeyManagers(), null, null);
    AtomicReference<String> authorization = new AtomicReference<>();
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext("/", exchange -> answer(exchange, authorization));
    server.start();
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      SchemaRegistryClient trusting =
          new SchemaRegistryClient(
              RegistryClientConfig.fromProperties(
                  Map.of(
                      RegistryClientConfig.URL,
                      url,
                      RegistryClientConfig.TRUSTSTORE_LOCATION,
                      keystore.toString(),
                      RegistryClientConfig.TRUSTSTORE_PASSWORD,
                      "changeit")));
      assertThat(trusting.register("t-value", SCHEMA)).isEqualTo(7);

      SchemaRegistryClient untrusting = new SchemaRegistryClient(RegistryClientConfig.of(url));
      assertThatThrownBy(() -> untrusting.register("t-value", SCHEMA))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("t-value");
    } finally {
      server.stop(0);
    }
  }
}

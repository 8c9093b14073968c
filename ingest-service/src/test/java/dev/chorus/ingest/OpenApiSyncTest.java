package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.ingest.http.IngestApi;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists exactly the routes the service serves, no more, no fewer. */
class OpenApiSyncTest {

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationExists() throws Exception {
    JsonNode spec;
    try (InputStream in = IngestApi.class.getResourceAsStream("/openapi.yaml")) {
      spec = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    Set<String> documented = new TreeSet<>();
    spec.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    Set<String> served = new TreeSet<>();
    new IngestApi(null, null, null, null, null, null, null, null, null, java.util.Map.of())
        .routes()
        .forEach(r -> served.add(r.method().name() + " " + r.path()));
    assertThat(documented).isEqualTo(served);
  }
}

package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.ingest.config.DistrictSettings;
import dev.chorus.ingest.config.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {

  @Test
  void readsDistrictsWithSecretsFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(
        file,
        """
        districts:
          springfield:
            secret_env: SPRINGFIELD_SECRET
            timezone: America/Chicago
            tokens:
              - {name: team, sha256: "%s", scopes: [submit, ADMIN]}
        """
            .formatted("ab".repeat(32)));
    IngestConfig config =
        IngestConfig.fromEnvironment(
            Map.of(
                "CHORUS_DISTRICTS_FILE",
                file.toString(),
                "SPRINGFIELD_SECRET",
                "s".repeat(40),
                "CHORUS_INGEST_PORT",
                "9999"));
    DistrictSettings d = config.districts().get("springfield");
    assertThat(d.timezone().getId()).isEqualTo("America/Chicago");
    assertThat(d.tokens().get(0).scopes())
        .containsExactlyInAnyOrder(DistrictSettings.Scope.SUBMIT, DistrictSettings.Scope.ADMIN);
    assertThat(config.port()).isEqualTo(9999);
    assertThat(config.topics().submissions()).isEqualTo("chorus.submissions");
  }

  @Test
  void everyProblemNamesItsSetting(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(
        file,
        """
        districts:
          x:
            secret: short
            timezone: Mars/Olympus
            tokens:
              - {name: t, sha256: "zz", scopes: [root]}
        """);
    assertThatThrownBy(
            () ->
                IngestConfig.fromEnvironment(
                    Map.of("CHORUS_DISTRICTS_FILE", file.toString(), "CHORUS_INGEST_PORT", "http")))
        .hasMessageContaining("CHORUS_INGEST_PORT")
        .hasMessageContaining("at least 32 characters")
        .hasMessageContaining("unknown timezone 'Mars/Olympus'")
        .hasMessageContaining("sha256 must be 64 hex characters")
        .hasMessageContaining("unknown scope 'root'");
  }

  @Test
  void districtsFileIsRequired() {
    assertThatThrownBy(() -> IngestConfig.fromEnvironment(Map.of()))
        .hasMessageContaining("CHORUS_DISTRICTS_FILE is required");
  }
}

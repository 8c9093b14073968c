package dev.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.config.EnvSettings;
import dev.chorus.ingest.config.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/operators.md documents every ingest setting with its real default. */
class OperatorsDocTest {

  @Test
  void everySettingIsDocumentedWithItsDefault() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "operators.md"));
    for (EnvSettings.Setting setting : IngestConfig.SETTINGS) {
      String row =
          "| `"
              + setting.env()
              + "` | "
              + (setting.defaultValue().isEmpty() ? "—" : "`" + setting.defaultValue() + "`")
              + " | ";
      assertThat(doc).as("docs/operators.md row for %s", setting.env()).contains(row);
    }
  }
}

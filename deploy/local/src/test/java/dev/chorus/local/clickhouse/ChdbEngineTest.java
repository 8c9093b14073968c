package dev.chorus.local.clickhouse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChdbEngineTest {

  @Test
  void aTarballThatIsNotThePinnedPackageIsRefused(@TempDir Path dir) throws Exception {
    Path fake = dir.resolve("chdb.tgz");
    Files.writeString(fake, "not the engine");
    assertThatThrownBy(() -> ChdbEngine.verify(fake))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Integrity check failed")
        .hasMessageContaining(ChdbEngine.INTEGRITY)
        .hasMessageContaining("nothing was installed");
  }
}

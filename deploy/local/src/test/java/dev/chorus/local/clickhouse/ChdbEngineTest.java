package dev.chorus.local.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
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

  @Test
  void missingNpmSaysWhatToInstall(@TempDir Path cache) {
    assertThatThrownBy(() -> ChdbEngine.ensureInstalled(cache, "npm-that-does-not-exist"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("npm is needed once")
        .hasMessageContaining("Install Node.js with npm")
        .hasMessageContaining(ChdbEngine.LIB_ENV);
    assertThat(cache.resolve("chdb").resolve(ChdbEngine.VERSION).resolve("libchdb.so"))
        .doesNotExist();
  }

  @Test
  void failingNpmReportsItsOutput(@TempDir Path cache) throws Exception {
    Path fakeNpm = cache.resolve("fake-npm");
    Files.writeString(fakeNpm, "#!/bin/sh\necho 'npm error 404 Not Found' >&2\nexit 1\n");
    fakeNpm.toFile().setExecutable(true);
    assertThatThrownBy(() -> ChdbEngine.ensureInstalled(cache, fakeNpm.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed (exit 1)")
        .hasMessageContaining("npm error 404 Not Found");
  }
}

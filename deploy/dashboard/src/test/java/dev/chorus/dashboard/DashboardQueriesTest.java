package dev.chorus.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.contracts.ReportingModel;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

  /** What a query reads from (ARRAY JOIN unfolds an array, it reads nothing). */
  private static final Pattern FROM = Pattern.compile("(?<!ARRAY )(?:FROM|JOIN)\\s+([\\w.]+)");

  @Test
  void everyQueryReadsOnlyTheAnalystViewsWithBoundParameters() {
    for (Map.Entry<String, String> q : DashboardQueries.SQL.entrySet()) {
      Matcher m = FROM.matcher(q.getValue());
      int sources = 0;
      while (m.find()) {
        assertThat(ReportingModel.VIEWS).as(q.getKey()).contains(m.group(1));
        sources++;
      }
      assertThat(sources).as(q.getKey()).isPositive();
      assertThat(q.getValue()).as(q.getKey()).doesNotContain("chorus.").doesNotContain("'{");
    }
  }

  @Test
  void everySettingIsDocumentedForOperators() throws Exception {
    String doc =
        java.nio.file.Files.readString(java.nio.file.Path.of("..", "..", "docs", "operators.md"));
    for (dev.chorus.config.EnvSettings.Setting s : DashboardConfig.SETTINGS) {
      assertThat(doc).contains("| `" + s.env() + "` | `" + s.defaultValue() + "` | ");
    }
  }

  @Test
  void settingsHaveDefaultsAndNameBadValues() {
    DashboardConfig c = DashboardConfig.fromEnvironment(Map.of());
    assertThat(c.port()).isEqualTo(8084);
    assertThat(c.user()).isEqualTo(ReportingModel.ANALYST);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DashboardConfig.fromEnvironment(Map.of("CHORUS_DASHBOARD_PORT", "x")))
        .hasMessageContaining("CHORUS_DASHBOARD_PORT must be a whole number");
  }
}

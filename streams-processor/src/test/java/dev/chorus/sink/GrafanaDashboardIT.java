package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.contracts.ReportingModel;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every query of the provisioned Grafana dashboards (template variables first, then each panel)
 * runs against the real ClickHouse as the analyst the datasource uses, with Grafana's macros and
 * variables substituted, and answers with rows: dashboards cannot rot unnoticed.
 */
@ChorusIntegrationTest
class GrafanaDashboardIT {

  private static final Path DASHBOARDS = Path.of("..", "deploy", "grafana", "dashboards");

  /** Grafana's ClickHouse macros as the plugin expands them, over a fixed time range. */
  static String expandMacros(String sql) {
    return sql.replaceAll(
            "\\$__timeFilter\\(([^)]+)\\)",
            "$1 >= toDateTime(1756684800) AND $1 <= toDateTime(1819843200)")
        .replace("$__fromTime", "toDateTime(1756684800)")
        .replace("$__toTime", "toDateTime(1819843200)");
  }

  static String substitute(String sql, Map<String, String> variables) {
    String out = sql;
    for (Map.Entry<String, String> v : variables.entrySet()) {
      out =
          out.replace("${" + v.getKey() + "}", v.getValue())
              .replace("$" + v.getKey(), v.getValue());
    }
    return expandMacros(out);
  }

  @Test
  void everyPanelQueryRunsAndAnswers(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    List<Path> files;
    try (Stream<Path> list = Files.list(DASHBOARDS)) {
      files = list.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    int panels = 0;
    for (Path file : files) {
      JsonNode dashboard = json.readTree(file.toFile());
      Map<String, String> variables = new LinkedHashMap<>();
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        String sql = substitute(variable.path("query").asText(), variables);
        List<Map<String, Object>> values = analyst(stack, sql);
        assertThat(values).as(file + " variable " + variable.path("name")).isNotEmpty();
        // Grafana selects a query variable's first value by default.
        variables.put(
            variable.path("name").asText(),
            String.valueOf(values.get(0).values().iterator().next()));
      }
      List<JsonNode> all = new ArrayList<>();
      dashboard.path("panels").forEach(all::add);
      for (JsonNode panel : all) {
        if (panel.path("type").asText().equals("row")) {
          continue;
        }
        assertThat(panel.path("datasource").path("uid").asText())
            .as(panel.path("title").asText())
            .isEqualTo("chorus-clickhouse");
        for (JsonNode target : panel.path("targets")) {
          String sql = substitute(target.path("rawSql").asText(), variables);
          assertThat(sql).as(panel.path("title").asText()).doesNotContain("$");
          assertThat(analyst(stack, sql))
              .as(
                  file.getFileName()
                      + " panel '"
                      + panel.path("title").asText()
                      + "' with "
                      + variables)
              .isNotEmpty();
          panels++;
        }
      }
    }
    assertThat(panels).isGreaterThanOrEqualTo(10);
  }

  @Test
  void theDatasourceConnectsAsTheAnalystToTheViews() throws Exception {
    String datasource =
        Files.readString(
            Path.of(
                "..",
                "deploy",
                "grafana",
                "provisioning",
                "datasources",
                "chorus-clickhouse.yaml"));
    assertThat(datasource).contains("uid: chorus-clickhouse");
    assertThat(datasource).contains("type: grafana-clickhouse-datasource");
    assertThat(datasource).contains("defaultDatabase: " + ReportingModel.REPORTING_DATABASE);
    assertThat(datasource).contains("username: ${CHORUS_CLICKHOUSE_ANALYST_USER}");
  }

  private static List<Map<String, Object>> analyst(ChorusStack stack, String sql) throws Exception {
    return Sql.query(stack, ReportingModel.ANALYST, stack.clickhouseAnalystPassword(), sql);
  }
}

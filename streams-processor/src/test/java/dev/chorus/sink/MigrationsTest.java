package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.contracts.ReportingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  private static final Migrations.Target SINGLE =
      new Migrations.Target("chorus", "chorus_reporting", "");
  private static final Migrations.Target CLUSTER =
      new Migrations.Target("chorus", "chorus_reporting", "analytics");

  private static List<String> statements(Migrations.Target target) {
    List<String> all = new ArrayList<>();
    Migrations.load(target).forEach(m -> all.addAll(m.statements()));
    return all;
  }

  @Test
  void theViewsCreatedAreExactlyTheDocumentedModel() {
    Pattern view = Pattern.compile("CREATE OR REPLACE VIEW chorus_reporting\\.(\\w+)");
    List<String> views = new ArrayList<>();
    for (String statement : statements(SINGLE)) {
      Matcher m = view.matcher(statement);
      if (m.find()) {
        views.add(m.group(1));
        assertThat(statement).as(m.group(1)).contains("SQL SECURITY DEFINER");
        assertThat(statement).as(m.group(1)).contains("district_id");
      }
    }
    assertThat(views).containsExactlyInAnyOrderElementsOf(ReportingModel.VIEWS);
  }

  @Test
  void clusterModeRunsEveryStatementOnTheClusterWithReplicatedTables() {
    List<String> statements = statements(CLUSTER);
    assertThat(statements).isNotEmpty();
    for (String statement : statements) {
      assertThat(statement).contains(" ON CLUSTER 'analytics'");
      assertThat(statement).doesNotContain("${");
      if (statement.contains("ENGINE")) {
        assertThat(statement)
            .contains(
                "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}',"
                    + " '{replica}', _offset, _deleted)");
      }
    }
    for (String statement : statements(SINGLE)) {
      assertThat(statement).doesNotContain("ON CLUSTER").doesNotContain("Replicated");
    }
  }

  @Test
  void versionsAreOrderedAndChecksumsStable() {
    List<Migrations.Migration> a = Migrations.load(SINGLE);
    List<Migrations.Migration> b = Migrations.load(CLUSTER);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).version()).isEqualTo(i + 1);
      // The checksum is of the file, not of the filled-in text: the same in every mode.
      assertThat(a.get(i).checksum()).isEqualTo(b.get(i).checksum()).hasSize(64);
    }
  }

  @Test
  void theProductionRowPolicyCoversEveryView() throws Exception {
    String rbac =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("..", "deploy", "clickhouse", "rbac.sql"));
    for (String view : ReportingModel.VIEWS) {
      assertThat(rbac).contains(ReportingModel.REPORTING_DATABASE + "." + view);
    }
    assertThat(rbac).contains(ReportingModel.WRITER).contains(ReportingModel.ANALYST);
  }

  @Test
  void splitsAtSemicolonsEndingALineAndDropsComments() {
    assertThat(Migrations.split("-- note\nSELECT 1;\nSELECT\n  ';' AS x;\n"))
        .containsExactly("SELECT 1", "SELECT\n  ';' AS x");
    assertThatThrownBy(() -> Migrations.split("SELECT 1")).hasMessageContaining("ends without ';'");
  }
}

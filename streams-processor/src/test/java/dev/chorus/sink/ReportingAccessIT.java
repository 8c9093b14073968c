package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.contracts.ReportingModel;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The access model: analysts read views only, per-district analysts only their rows, none write.
 */
@ChorusIntegrationTest
class ReportingAccessIT {

  private static List<Map<String, Object>> asAnalyst(ChorusStack stack, String user, String sql)
      throws SQLException {
    return Sql.query(stack, user, stack.clickhouseAnalystPassword(), sql);
  }

  @Test
  void theAnalystReadsEveryViewButNoBaseTable(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    for (String view : ReportingModel.VIEWS) {
      List<Map<String, Object>> rows =
          asAnalyst(
              stack,
              ReportingModel.ANALYST,
              "SELECT count() AS n, uniqExact(district_id) AS districts FROM "
                  + ReportingModel.REPORTING_DATABASE
                  + "."
                  + view);
      assertThat(((Number) rows.get(0).get("n")).longValue()).as(view).isPositive();
      assertThat(((Number) rows.get(0).get("districts")).longValue()).as(view).isEqualTo(2);
    }
    for (String table :
        List.of("scale_scores", "influence", "late_submissions", "schema_migrations")) {
      assertThatThrownBy(
              () ->
                  asAnalyst(
                      stack,
                      ReportingModel.ANALYST,
                      "SELECT count() FROM " + ReportingModel.DATABASE + "." + table))
          .as(table)
          .hasMessageContaining("ACCESS_DENIED");
    }
  }

  @Test
  void analystsCannotWriteOrChangeAnything(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    for (String user : List.of(ReportingModel.ANALYST, ReportingModel.districtAnalyst("north"))) {
      for (String sql :
          List.of(
              "INSERT INTO chorus.scale_scores (cell_key) VALUES ('x')",
              "DROP VIEW chorus_reporting.current_scores",
              "CREATE TABLE chorus_reporting.mine (x UInt8) ENGINE = Memory",
              "ALTER TABLE chorus.scale_scores DELETE WHERE 1")) {
        assertThatThrownBy(() -> asAnalyst(stack, user, sql))
            .as(user + ": " + sql)
            .isInstanceOf(SQLException.class)
            .satisfies(
                e ->
                    assertThat(e.getMessage())
                        .containsAnyOf(
                            "ACCESS_DENIED", "READONLY", "Cannot execute query in readonly mode"));
      }
    }
    assertThat(Sql.count(stack, "SELECT count() FROM chorus_reporting.current_scores"))
        .isPositive();
  }

  @Test
  void aDistrictAnalystSeesOnlyTheirDistrict(ChorusStack stack) throws Exception {
    ReportingFixture.load(stack);
    String north = ReportingModel.districtAnalyst("north");
    for (String view : ReportingModel.VIEWS) {
      String table = ReportingModel.REPORTING_DATABASE + "." + view;
      List<Map<String, Object>> rows =
          asAnalyst(
              stack,
              north,
              "SELECT arrayStringConcat(groupUniqArray(district_id), ',') AS districts, count() AS n"
                  + " FROM "
                  + table);
      assertThat(rows.get(0).get("districts")).as(view).isEqualTo("north");
      long all = Sql.count(stack, "SELECT count() FROM " + table + " WHERE district_id = 'north'");
      assertThat(((Number) rows.get(0).get("n")).longValue()).as(view).isEqualTo(all);
      // Asking for another district's rows by name returns nothing.
      assertThat(asAnalyst(stack, north, "SELECT * FROM " + table + " WHERE district_id = 'south'"))
          .as(view)
          .isEmpty();
    }
    assertThat(
            asAnalyst(
                stack,
                ReportingModel.districtAnalyst("south"),
                "SELECT DISTINCT district_id FROM chorus_reporting.current_scores"))
        .extracting(r -> r.get("district_id"))
        .containsExactly("south");
  }
}

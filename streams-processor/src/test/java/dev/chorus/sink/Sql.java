package dev.chorus.sink;

import dev.chorus.testkit.ChorusStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Queries through the JDBC v2 driver, as an analyst's tool or Grafana would. */
final class Sql {

  private Sql() {}

  /** Rows as column-name maps. */
  static List<Map<String, Object>> query(
      ChorusStack stack, String user, String password, String sql) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    try (Connection c = DriverManager.getConnection(stack.clickhouseJdbcUrl(), props);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** As the administrator. */
  static List<Map<String, Object>> admin(ChorusStack stack, String sql) throws SQLException {
    return query(stack, stack.clickhouseUser(), stack.clickhousePassword(), sql);
  }

  /** One number. */
  static long count(ChorusStack stack, String sql) throws SQLException {
    return ((Number) admin(stack, sql).get(0).values().iterator().next()).longValue();
  }

  /** Runs a statement as the administrator. */
  static void execute(ChorusStack stack, String sql) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", stack.clickhouseUser());
    props.setProperty("password", stack.clickhousePassword());
    try (Connection c = DriverManager.getConnection(stack.clickhouseJdbcUrl(), props);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}

package dev.chorus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DDL, a batch insert and queries through the official JDBC v2 driver on a real ClickHouse. */
@ChorusIntegrationTest
class ClickHouseJdbcIT {

  private static final int ROWS = 20_000;

  private static Connection connect(ChorusStack stack) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", stack.clickhouseUser());
    props.setProperty("password", stack.clickhousePassword());
    return DriverManager.getConnection(stack.clickhouseJdbcUrl(), props);
  }

  @Test
  void serverIsAModernClickHouse(ChorusStack stack) throws SQLException {
    try (Connection c = connect(stack);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT toUInt32(splitByChar('.', version())[1])")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(24);
    }
  }

  @Test
  void ddlBatchInsertAndAggregate(ChorusStack stack) throws SQLException {
    try (Connection c = connect(stack);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS chorus_it");
      s.execute("DROP TABLE IF EXISTS chorus_it.scores");
      s.execute(
          """
          CREATE TABLE chorus_it.scores (
            school_id LowCardinality(String),
            day Date,
            scale_id LowCardinality(String),
            n UInt32,
            mean Float64,
            version UInt64
          ) ENGINE = MergeTree
          ORDER BY (school_id, scale_id, day, version)
          """);
      long expectedN = 0;
      double expectedMeanSum = 0;
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO chorus_it.scores (school_id, day, scale_id, n, mean, version) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          int n = 5 + i % 40;
          double mean = 1 + (i % 400) / 100.0;
          insert.setString(1, "school-" + i % 12);
          insert.setObject(2, LocalDate.of(2026, 9, 1).plusDays(i % 90));
          insert.setString(3, "scale-" + i % 7);
          insert.setInt(4, n);
          insert.setDouble(5, mean);
          insert.setLong(6, i);
          insert.addBatch();
          expectedN += n;
          expectedMeanSum += mean;
        }
        insert.executeBatch();
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(), sum(n), sum(mean), uniqExact(school_id) FROM chorus_it.scores")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(ROWS);
        assertThat(rs.getLong(2)).isEqualTo(expectedN);
        assertThat(rs.getDouble(3))
            .isCloseTo(expectedMeanSum, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(rs.getInt(4)).isEqualTo(12);
      }
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT n, mean FROM chorus_it.scores WHERE school_id = ? AND version = ?")) {
        q.setString(1, "school-5");
        q.setLong(2, 4217);
        try (ResultSet rs = q.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(5 + 4217 % 40);
          assertThat(rs.getDouble(2)).isEqualTo(1 + (4217 % 400) / 100.0);
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  @Test
  void replacingMergeTreeKeepsTheNewestVersionPerKey(ChorusStack stack) throws SQLException {
    try (Connection c = connect(stack);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS chorus_it");
      s.execute("DROP TABLE IF EXISTS chorus_it.current");
      s.execute(
          "CREATE TABLE chorus_it.current (k String, v Float64, version UInt64) "
              + "ENGINE = ReplacingMergeTree(version) ORDER BY k");
      // Three separate inserts (three parts), replayed out of order, as a sink after a crash might.
      for (long version : new long[] {2, 1, 3, 2}) {
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO chorus_it.current VALUES (?, ?, ?)")) {
          insert.setString(1, "school-1/trust");
          insert.setDouble(2, version * 1.5);
          insert.setLong(3, version);
          insert.addBatch();
          insert.setString(1, "school-2/trust");
          insert.setDouble(2, 9.0);
          insert.setLong(3, 1);
          insert.addBatch();
          insert.executeBatch();
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT k, v, version FROM chorus_it.current FINAL ORDER BY k")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("school-1/trust");
        assertThat(rs.getDouble(2)).isEqualTo(4.5);
        assertThat(rs.getLong(3)).isEqualTo(3);
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("school-2/trust");
        assertThat(rs.next()).isFalse();
      }
    }
  }
}

package dev.chorus.dashboard;

import dev.chorus.config.EnvSettings;
import dev.chorus.config.EnvSettings.Setting;
import dev.chorus.contracts.ReportingModel;
import java.util.List;
import java.util.Map;

/** Settings of the dashboard, in one typed place. */
public record DashboardConfig(
    String host,
    int port,
    String clickhouseUrl,
    String user,
    String password,
    String reportingDatabase) {

  public static final List<Setting> SETTINGS =
      List.of(
          new Setting("CHORUS_DASHBOARD_HOST", "127.0.0.1", "interface the dashboard listens on"),
          new Setting("CHORUS_DASHBOARD_PORT", "8084", "dashboard HTTP port (0 = any free)"),
          new Setting(
              "CHORUS_CLICKHOUSE_URL", "http://127.0.0.1:8123", "ClickHouse HTTP(S) endpoint"),
          new Setting(
              "CHORUS_DASHBOARD_CLICKHOUSE_USER",
              ReportingModel.ANALYST,
              "ClickHouse user the dashboard reads as (an analyst: views only; a district analyst"
                  + " limits the dashboard to that district)"),
          new Setting(
              "CHORUS_DASHBOARD_CLICKHOUSE_PASSWORD",
              "",
              "password of CHORUS_DASHBOARD_CLICKHOUSE_USER"),
          new Setting(
              "CHORUS_CLICKHOUSE_REPORTING_DATABASE",
              ReportingModel.REPORTING_DATABASE,
              "database of the analyst views"));

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException listing every bad variable
   */
  public static DashboardConfig fromEnvironment(Map<String, String> env) {
    EnvSettings r = new EnvSettings(SETTINGS, env);
    int port = r.port("CHORUS_DASHBOARD_PORT");
    String url = r.text("CHORUS_CLICKHOUSE_URL");
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      r.problem("CHORUS_CLICKHOUSE_URL must be an http:// or https:// URL, got '" + url + "'");
    }
    r.validate("dashboard");
    return new DashboardConfig(
        r.text("CHORUS_DASHBOARD_HOST"),
        port,
        url,
        r.text("CHORUS_DASHBOARD_CLICKHOUSE_USER"),
        env.getOrDefault("CHORUS_DASHBOARD_CLICKHOUSE_PASSWORD", ""),
        r.text("CHORUS_CLICKHOUSE_REPORTING_DATABASE"));
  }
}

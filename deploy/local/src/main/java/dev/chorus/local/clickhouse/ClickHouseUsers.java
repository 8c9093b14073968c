package dev.chorus.local.clickhouse;

import dev.chorus.contracts.ReportingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The access model of the local ClickHouse as a {@code users.xml} (the local engine reads users
 * only from such a file; production servers use the SQL RBAC in {@code
 * deploy/clickhouse/rbac.sql}): {@code default} (loopback administrator), the sink's writer, the
 * analyst who reads only the reporting views, and one analyst per district restricted to that
 * district's rows by a row filter on every view.
 */
public final class ClickHouseUsers {

  /** Password of {@link ReportingModel#WRITER} on the local (loopback-only) server. */
  public static final String LOCAL_WRITER_PASSWORD = "chorus-writer";

  /** Password of every analyst user on the local (loopback-only) server. */
  public static final String LOCAL_ANALYST_PASSWORD = "chorus-analyst";

  private ClickHouseUsers() {}

  /** Writes the file as {@code home/users.xml} and returns its path. */
  public static Path write(Path home, List<String> analystDistricts) {
    Path file = home.resolve("users.xml").toAbsolutePath();
    try {
      Files.createDirectories(home);
      Files.writeString(file, render(file, analystDistricts));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write ClickHouse users file " + file, e);
    }
    return file;
  }

  /**
   * The same writer and analyst users as a {@code users.d} overlay for a regular ClickHouse server
   * (e.g. the clickhouse-server container): no {@code default} user, any network.
   */
  public static String overlay(List<String> analystDistricts) {
    return render(null, analystDistricts);
  }

  /**
   * The users.xml text; {@code self} is where it will be stored (the engine re-reads it), or null
   * for an overlay.
   */
  static String render(Path self, List<String> analystDistricts) {
    String networks =
        self == null
            ? "<networks><ip>::/0</ip></networks>"
            : "<networks><ip>127.0.0.1</ip><ip>::1</ip></networks>";
    String db = ReportingModel.DATABASE;
    String reporting = ReportingModel.REPORTING_DATABASE;
    StringBuilder x = new StringBuilder();
    x.append("<!-- Written by Chorus at start-up: the local access model. Do not edit. -->\n");
    x.append("<clickhouse>\n");
    if (self != null) {
      x.append("  <user_directories><users_xml><path>")
          .append(self)
          .append("</path></users_xml></user_directories>\n");
    }
    x.append(
        """
          <profiles>
            <default/>
            <analyst>
              <!-- 2: may read and change session settings (Grafana does), never write. -->
              <readonly>2</readonly>
              <max_execution_time>60</max_execution_time>
              <max_result_rows>1000000</max_result_rows>
              <result_overflow_mode>throw</result_overflow_mode>
              <constraints>
                <max_execution_time><max>300</max></max_execution_time>
                <readonly><min>1</min></readonly>
              </constraints>
            </analyst>
          </profiles>
          <quotas><default/></quotas>
          <users>
        """);
    if (self != null) {
      x.append(
          """
              <default>
                <password></password>
                <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                <profile>default</profile>
                <quota>default</quota>
                <access_management>1</access_management>
              </default>
          """);
    }
    x.append("    <").append(ReportingModel.WRITER).append(">\n");
    x.append("      <password>").append(LOCAL_WRITER_PASSWORD).append("</password>\n");
    x.append("      ").append(networks).append("\n");
    x.append("      <profile>default</profile>\n      <quota>default</quota>\n");
    x.append("      <grants>\n");
    for (String grant :
        List.of(
            "GRANT ALL ON " + db + ".*",
            "GRANT ALL ON " + reporting + ".*",
            "GRANT TABLE ENGINE ON ReplacingMergeTree",
            "GRANT TABLE ENGINE ON MergeTree")) {
      x.append("        <query>").append(grant).append("</query>\n");
    }
    x.append("      </grants>\n");
    x.append("    </").append(ReportingModel.WRITER).append(">\n");
    analyst(x, networks, ReportingModel.ANALYST, null);
    for (String district : analystDistricts) {
      analyst(x, networks, ReportingModel.districtAnalyst(district), district);
    }
    x.append("  </users>\n</clickhouse>\n");
    return x.toString();
  }

  private static void analyst(StringBuilder x, String networks, String user, String district) {
    x.append("    <").append(user).append(">\n");
    x.append("      <password>").append(LOCAL_ANALYST_PASSWORD).append("</password>\n");
    x.append("      ").append(networks).append("\n");
    x.append("      <profile>analyst</profile>\n      <quota>default</quota>\n");
    x.append("      <grants><query>GRANT SELECT ON ")
        .append(ReportingModel.REPORTING_DATABASE)
        .append(".*</query></grants>\n");
    if (district != null) {
      x.append("      <databases>\n        <")
          .append(ReportingModel.REPORTING_DATABASE)
          .append(">\n");
      for (String view : ReportingModel.VIEWS) {
        // The id is validated by districtAnalyst (letters, digits, '-', '_'): safe in a literal.
        x.append("          <")
            .append(view)
            .append("><filter>district_id = '")
            .append(district)
            .append("'</filter></")
            .append(view)
            .append(">\n");
      }
      x.append("        </").append(ReportingModel.REPORTING_DATABASE).append(">\n");
      x.append("      </databases>\n");
    }
    x.append("    </").append(user).append(">\n");
  }
}

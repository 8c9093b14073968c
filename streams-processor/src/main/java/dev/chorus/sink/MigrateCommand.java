package dev.chorus.sink;

import com.clickhouse.client.api.Client;
import dev.chorus.config.ServiceMain;
import java.util.List;

/**
 * {@code ./chorus migrate}: applies pending ClickHouse migrations with the sink's settings
 * (environment variables, see docs/operators.md) and exits.
 */
public final class MigrateCommand {

  private MigrateCommand() {}

  public static void main(String[] args) {
    SinkConfig config = ServiceMain.settingsOrExit(SinkConfig::fromEnvironment);
    try (Client client = SinkApp.client(config)) {
      List<Integer> applied = Migrations.apply(client, config.target());
      System.out.println(
          applied.isEmpty()
              ? "ClickHouse schema at " + config.clickhouseUrl() + " is up to date."
              : "Applied migrations " + applied + " to " + config.clickhouseUrl() + ".");
    } catch (RuntimeException e) {
      System.err.println("chorus migrate failed: " + e.getMessage());
      System.exit(1);
    }
  }
}

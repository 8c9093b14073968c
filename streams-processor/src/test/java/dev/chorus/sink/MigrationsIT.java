package dev.chorus.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import dev.chorus.testkit.ChorusIntegrationTest;
import dev.chorus.testkit.ChorusStack;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Migrations on the real ClickHouse: applied once, idempotent, tracked, guarded. */
@ChorusIntegrationTest
class MigrationsIT {

  @Test
  void appliesOnceAndIsUpToDateAfterwards(ChorusStack stack) throws Exception {
    String db = "chorus_mig" + UUID.randomUUID().toString().substring(0, 6);
    Migrations.Target target = new Migrations.Target(db, db + "_reporting", "");
    try (Client client = client(stack)) {
      assertThat(Migrations.apply(client, target)).containsExactly(1, 2);
      assertThat(Migrations.apply(client, target)).isEmpty();
      assertThat(Sql.count(stack, "SELECT count() FROM " + db + ".schema_migrations")).isEqualTo(2);
      assertThat(
              Sql.count(
                  stack,
                  "SELECT count() FROM system.tables WHERE database = '" + db + "_reporting'"))
          .isEqualTo(dev.chorus.contracts.ReportingModel.VIEWS.size());
      // A half-applied migration (crash before it was recorded) is simply run again.
      Sql.execute(stack, "DELETE FROM " + db + ".schema_migrations WHERE version = 2");
      assertThat(Migrations.apply(client, target)).containsExactly(2);
    }
  }

  @Test
  void refusesAMigrationChangedAfterItWasApplied(ChorusStack stack) throws Exception {
    String db = "chorus_mig" + UUID.randomUUID().toString().substring(0, 6);
    Migrations.Target target = new Migrations.Target(db, db + "_reporting", "");
    try (Client client = client(stack)) {
      Migrations.apply(client, target);
      Sql.execute(
          stack,
          "ALTER TABLE "
              + db
              + ".schema_migrations UPDATE checksum = 'edited' WHERE version = 1 SETTINGS"
              + " mutations_sync = 1");
      assertThatThrownBy(() -> Migrations.apply(client, target))
          .hasMessageContaining("V1__base_tables was changed after it was applied");
    }
  }

  private static Client client(ChorusStack stack) {
    return new Client.Builder()
        .addEndpoint(stack.clickhouseHttpUrl())
        .setUsername(stack.clickhouseUser())
        .setPassword(stack.clickhousePassword())
        .build();
  }
}

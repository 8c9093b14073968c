package dev.chorus.sink;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned, idempotent SQL migrations of the ClickHouse reporting model ({@code
 * migrations/V<n>__<name>.sql} next to this class), tracked in {@code <db>.schema_migrations}. A
 * migration already applied is skipped; one whose text changed after it was applied stops start-up
 * (write a new migration instead). Every statement is idempotent ({@code IF NOT EXISTS}, {@code OR
 * REPLACE}), so a crash half-way through a migration is repaired by running it again.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** The migrations, in order. Add new files here; never edit an applied one. */
  static final List<String> FILES = List.of("V001__base_tables.sql", "V002__reporting_views.sql");

  private static final Pattern FILE = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

  /**
   * Where the model lives.
   *
   * @param cluster empty for one server; else ON CLUSTER and replicated engines (one shard, every
   *     server a replica)
   */
  public record Target(String database, String reportingDatabase, String cluster) {

    /** The placeholder values of the SQL files. */
    Map<String, String> placeholders() {
      boolean clustered = !cluster.isEmpty();
      String replicatedPath = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
      return Map.of(
          "db", database,
          "reporting", reportingDatabase,
          "on_cluster", clustered ? " ON CLUSTER '" + cluster + "'" : "",
          "replacing",
              clustered
                  ? "ReplicatedReplacingMergeTree(" + replicatedPath + ", _offset, _deleted)"
                  : "ReplacingMergeTree(_offset, _deleted)",
          "merge_tree", clustered ? "ReplicatedMergeTree(" + replicatedPath + ")" : "MergeTree");
    }
  }

  /** One migration file. */
  public record Migration(int version, String name, String checksum, List<String> statements) {}

  private Migrations() {}

  /** The migrations with placeholders filled for {@code target}. */
  public static List<Migration> load(Target target) {
    List<Migration> migrations = new ArrayList<>();
    for (String file : FILES) {
      Matcher m = FILE.matcher(file);
      if (!m.matches()) {
        throw new IllegalStateException("Migration file name " + file + " is not V<n>__<name>.sql");
      }
      String text = read(file);
      String filled = fill(text, target.placeholders(), file);
      migrations.add(
          new Migration(Integer.parseInt(m.group(1)), m.group(2), sha256(text), split(filled)));
    }
    return migrations;
  }

  /**
   * Applies the pending migrations.
   *
   * @return the versions applied now (empty when up to date)
   * @throws IllegalStateException if an applied migration has changed, or a statement fails
   */
  public static List<Integer> apply(Client client, Target target) {
    List<Migration> migrations = load(target);
    Map<String, String> p = target.placeholders();
    execute(client, "CREATE DATABASE IF NOT EXISTS " + target.database() + p.get("on_cluster"));
    execute(
        client,
        "CREATE TABLE IF NOT EXISTS "
            + target.database()
            + ".schema_migrations"
            + p.get("on_cluster")
            + " (version UInt32, name String, checksum String,"
            + " applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = "
            + p.get("merge_tree")
            + " ORDER BY version");
    Map<Integer, String> applied = applied(client, target);
    List<Integer> now = new ArrayList<>();
    for (Migration migration : migrations) {
      String checksum = applied.get(migration.version());
      if (checksum != null) {
        if (!checksum.equals(migration.checksum())) {
          throw new IllegalStateException(
              "Migration V"
                  + migration.version()
                  + "__"
                  + migration.name()
                  + " was changed after it was applied to "
                  + target.database()
                  + " (checksum "
                  + checksum
                  + " applied, "
                  + migration.checksum()
                  + " now). Restore it and put the change in a new migration.");
        }
        continue;
      }
      long started = System.nanoTime();
      for (String statement : migration.statements()) {
        execute(client, statement);
      }
      execute(
          client,
          "INSERT INTO "
              + target.database()
              + ".schema_migrations (version, name, checksum) VALUES ("
              + migration.version()
              + ", '"
              + migration.name()
              + "', '"
              + migration.checksum()
              + "')");
      LOG.info(
          "Applied migration V{}__{} ({} statements) in {} ms",
          migration.version(),
          migration.name(),
          migration.statements().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      now.add(migration.version());
    }
    if (now.isEmpty()) {
      LOG.info("ClickHouse schema up to date ({} migrations)", migrations.size());
    }
    return now;
  }

  /** Applied versions and their checksums. */
  static Map<Integer, String> applied(Client client, Target target) {
    Map<Integer, String> applied = new TreeMap<>();
    try {
      for (GenericRecord r :
          client.queryAll(
              "SELECT version, any(checksum) AS checksum FROM "
                  + target.database()
                  + ".schema_migrations GROUP BY version")) {
        applied.put(r.getInteger("version"), r.getString("checksum"));
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot read " + target.database() + ".schema_migrations: " + e.getMessage(), e);
    }
    return applied;
  }

  private static void execute(Client client, String sql) {
    try {
      client.execute(sql).get(5, TimeUnit.MINUTES).close();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          "Migration statement failed: " + cause.getMessage() + "\n" + sql, cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Migration statement timed out after 5 minutes:\n" + sql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while migrating", e);
    } catch (Exception e) {
      throw new IllegalStateException("Migration statement failed: " + e.getMessage(), e);
    }
  }

  /** Statements of a script: split at a ';' ending a line; comment lines dropped. */
  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (line.stripTrailing().endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(statement.substring(0, statement.length() - 1).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("Migration script ends without ';': " + current);
    }
    return statements;
  }

  private static String fill(String text, Map<String, String> values, String file) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("Unknown placeholder ${" + m.group(1) + "} in " + file);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String file) {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
      if (in == null) {
        throw new IllegalStateException("Migration " + file + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read migration " + file, e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.chorus.testkit;

import dev.chorus.local.LocalStack;
import dev.chorus.local.LocalStackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The stack as local processes on free loopback ports, with data in a throw-away directory. */
final class LocalProcessStack implements ChorusStack {

  private final Path dataDir;
  private final LocalStack stack;

  LocalProcessStack() {
    try {
      Path base = Path.of(System.getProperty("chorus.it.dir", "target"));
      Files.createDirectories(base);
      this.dataDir = Files.createTempDirectory(base.toAbsolutePath(), "chorus-it-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a data directory for the test stack", e);
    }
    this.stack = LocalStack.start(LocalStackConfig.ephemeral(dataDir));
  }

  @Override
  public String kind() {
    return "local";
  }

  @Override
  public String kafkaBootstrapServers() {
    return stack.kafka().bootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return stack.registry().url();
  }

  @Override
  public String clickhouseHttpUrl() {
    return stack.clickhouse().httpUrl();
  }

  @Override
  public String clickhouseJdbcUrl() {
    return stack.clickhouse().jdbcUrl();
  }

  @Override
  public boolean supportsRestarts() {
    return true;
  }

  @Override
  public void restartSchemaRegistry() {
    stack.restartRegistry();
  }

  @Override
  public void stopKafka() {
    stack.kafka().stop();
  }

  @Override
  public void startKafka() {
    stack.kafka().restart();
  }

  @Override
  public void stopClickHouse() {
    stack.stopClickHouse();
  }

  @Override
  public void startClickHouse() {
    stack.startClickHouse();
  }

  @Override
  public void close() {
    stack.close();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover directory under target/ is harmless
    }
  }
}

package dev.chorus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.registry.CompatibilityLevel;
import dev.chorus.registry.SchemaCompatibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every contract must read data written with its latest released version (BACKWARD), and no
 * released contract may disappear. Released versions live in {@code schemas/released/}.
 */
class SchemaEvolutionTest {

  private static final Path RELEASED = Path.of("released");
  private static final Path SOURCES = Path.of("src/main/avro");

  @Test
  void everyContractReadsItsLatestReleasedVersion() throws IOException {
    List<String> releases = releases();
    assertThat(releases)
        .as("released contract versions under %s", RELEASED.toAbsolutePath())
        .isNotEmpty();
    for (Schema current : Contracts.ALL) {
      Optional<Schema> released = latestReleased(current.getName(), releases);
      assertThat(released).as("%s has a released version", current.getName()).isPresent();
      assertThat(
              SchemaCompatibility.check(
                  CompatibilityLevel.BACKWARD, current, List.of(released.get())))
          .as("%s must stay BACKWARD compatible with its released version", current.getName())
          .isEmpty();
    }
  }

  @Test
  void noReleasedContractDisappears() throws IOException {
    List<String> current = Contracts.ALL.stream().map(Schema::getName).toList();
    for (String release : releases()) {
      try (Stream<Path> files = Files.list(RELEASED.resolve(release))) {
        files
            .map(f -> f.getFileName().toString().replace(".avsc", ""))
            .forEach(
                name ->
                    assertThat(current)
                        .as("contract %s released in %s", name, release)
                        .contains(name));
      }
    }
  }

  @Test
  void everyTopLevelSchemaFileIsAListedContract() throws IOException {
    List<String> listed = Contracts.ALL.stream().map(Schema::getName).toList();
    try (Stream<Path> files = Files.list(SOURCES)) {
      List<String> topLevel =
          files
              .filter(f -> f.toString().endsWith(".avsc"))
              .map(f -> f.getFileName().toString().replace(".avsc", ""))
              .toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(topLevel);
    }
  }

  @Test
  void theCheckRejectsAnIncompatibleChange() {
    Schema released = Contracts.ALL.get(0);
    String json = released.toString();
    // A new field without a default cannot be filled from old data.
    Schema broken =
        new Schema.Parser()
            .parse(
                json.replaceFirst(
                    "\"fields\":\\[",
                    "\"fields\":[{\"name\":\"required_new\",\"type\":\"string\"},"));
    assertThat(SchemaCompatibility.check(CompatibilityLevel.BACKWARD, broken, List.of(released)))
        .anySatisfy(problem -> assertThat(problem).contains("required_new"));
  }

  @Test
  void enumsAndOptionalFieldsCarryDefaults() {
    for (Schema contract : Contracts.ALL) {
      assertDefaults(contract, contract.getName(), new java.util.HashSet<>());
    }
  }

  private static void assertDefaults(Schema schema, String path, java.util.Set<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        for (Schema.Field field : schema.getFields()) {
          Schema type = field.schema();
          if (type.isNullable()) {
            assertThat(field.hasDefaultValue())
                .as("optional field %s.%s has a default", path, field.name())
                .isTrue();
          }
          assertDefaults(type, path + "." + field.name(), seen);
        }
      }
      case ENUM ->
          assertThat(schema.getEnumDefault())
              .as("enum %s at %s has a default symbol", schema.getName(), path)
              .isNotNull();
      case UNION -> schema.getTypes().forEach(t -> assertDefaults(t, path, seen));
      case ARRAY -> assertDefaults(schema.getElementType(), path + "[]", seen);
      case MAP -> assertDefaults(schema.getValueType(), path + "{}", seen);
      default -> {
        // primitives need nothing
      }
    }
  }

  private static List<String> releases() throws IOException {
    if (!Files.isDirectory(RELEASED)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted(Comparator.comparing(SchemaEvolutionTest::versionKey))
          .toList();
    }
  }

  private static Optional<Schema> latestReleased(String name, List<String> releases)
      throws IOException {
    for (int i = releases.size() - 1; i >= 0; i--) {
      Path file = RELEASED.resolve(releases.get(i)).resolve(name + ".avsc");
      if (Files.exists(file)) {
        return Optional.of(new Schema.Parser().parse(file.toFile()));
      }
    }
    return Optional.empty();
  }

  private static String versionKey(String version) {
    StringBuilder key = new StringBuilder();
    for (String part : version.split("\\.")) {
      key.append(String.format("%08d", Integer.parseInt(part.replaceAll("\\D", "0"))));
    }
    return key.toString();
  }
}

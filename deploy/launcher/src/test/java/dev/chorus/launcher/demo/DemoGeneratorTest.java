package dev.chorus.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.launcher.demo.DemoGenerator.Delivery;
import dev.chorus.launcher.demo.DemoGenerator.Demo;
import dev.chorus.launcher.demo.DemoGenerator.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGeneratorTest {

  private static final Demo DEMO = DemoGenerator.generate(42);

  @Test
  void theSameSeedGivesTheSameDistrictAndAnotherSeedAnother() {
    Demo again = DemoGenerator.generate(42);
    assertThat(again.deliveries()).isEqualTo(DEMO.deliveries());
    assertThat(again.responses()).isEqualTo(DEMO.responses());
    assertThat(DemoGenerator.generate(43).deliveries()).isNotEqualTo(DEMO.deliveries());
  }

  @Test
  void schoolsOfVariedSizeWithEveryRoleAndOneTooSmallToShowEveryGroup() {
    assertThat(DEMO.schools()).hasSize(12);
    Set<Integer> sizes =
        DEMO.schools().stream().map(DemoGenerator.School::size).collect(Collectors.toSet());
    assertThat(sizes.size()).isGreaterThan(6);
    Set<String> roles = DEMO.responses().stream().map(Response::role).collect(Collectors.toSet());
    assertThat(roles)
        .contains("TEACHER", "ADMINISTRATOR", "PARAPROFESSIONAL", "SUPPORT_STAFF", "OTHER_STAFF");
    DemoGenerator.School small =
        DEMO.schools().stream().filter(s -> s.id().equals("hillside")).findFirst().orElseThrow();
    assertThat(small.staff().get("ADMINISTRATOR")).isLessThan(5);
  }

  @Test
  void everyChannelAndLayoutAndTheAwkwardCases() {
    Set<String> layouts =
        DEMO.deliveries().stream()
            .filter(Delivery::upload)
            .map(Delivery::mapping)
            .collect(Collectors.toSet());
    assertThat(layouts).containsExactlyInAnyOrder("generic", "google-forms", "qualtrics");
    assertThat(DEMO.deliveries()).anyMatch(d -> !d.upload());
    // A duplicate upload: the same body sent twice.
    Map<String, Long> bodies =
        DEMO.deliveries().stream()
            .collect(Collectors.groupingBy(Delivery::body, Collectors.counting()));
    assertThat(bodies.values()).contains(2L);
    assertThat(DEMO.invalidRows()).isEqualTo(3);
    // Missing answers and resubmissions.
    assertThat(DEMO.responses()).anyMatch(r -> r.answers().size() < 42);
    Map<String, Long> perRespondent =
        DEMO.responses().stream()
            .filter(r -> r.cycle().equals(DemoGenerator.FALL))
            .collect(Collectors.groupingBy(Response::respondent, Collectors.counting()));
    assertThat(perRespondent.values()).anyMatch(n -> n > 1);
    // Both cycles, the fall pulse spread over weeks.
    assertThat(DEMO.responses().stream().map(Response::cycle).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(DemoGenerator.SPRING, DemoGenerator.FALL);
  }

  @Test
  void theLastExportIsLateForItsSchool() {
    Delivery last = DEMO.deliveries().get(DEMO.deliveries().size() - 1);
    assertThat(last.name()).endsWith("-late.csv");
    String stem = last.name().substring(0, last.name().length() - "-late.csv".length());
    String school = stem.substring(stem.lastIndexOf('-') + 1);
    Instant newest =
        DEMO.responses().stream()
            .filter(r -> r.school().equals(school) && r.cycle().equals(DemoGenerator.FALL))
            .map(Response::submittedAt)
            .max(Instant::compareTo)
            .orElseThrow();
    Instant oldestLate =
        DEMO.responses().stream()
            .filter(
                r ->
                    r.school().equals(school)
                        && r.cycle().equals(DemoGenerator.FALL)
                        && r.respondent().startsWith(school))
            .map(Response::submittedAt)
            .min(Instant::compareTo)
            .orElseThrow();
    assertThat(Duration.between(oldestLate, newest)).isGreaterThan(Duration.ofDays(14));
  }

  @Test
  void administratorsCreditTeachersWithMoreInfluenceThanTeachersDo() {
    Map<String, double[]> sums = new HashMap<>();
    for (Response r : DEMO.responses()) {
      for (Map<String, Integer> ratings : r.influence().values()) {
        Integer teachers = ratings.get("teachers");
        if (teachers != null) {
          double[] s = sums.computeIfAbsent(r.role(), k -> new double[2]);
          s[0] += teachers;
          s[1]++;
        }
      }
    }
    double byAdmins = sums.get("ADMINISTRATOR")[0] / sums.get("ADMINISTRATOR")[1];
    double byTeachers = sums.get("TEACHER")[0] / sums.get("TEACHER")[1];
    assertThat(byAdmins - byTeachers).isGreaterThan(0.3);
  }

  @Test
  void schoolsDifferInEveryCondition() {
    Map<String, Map<String, double[]>> means = new HashMap<>();
    for (Response r : DEMO.responses()) {
      Integer a = r.answers().get("trust_respect_1");
      if (a != null) {
        double[] s =
            means
                .computeIfAbsent("trust", k -> new HashMap<>())
                .computeIfAbsent(r.school(), k -> new double[2]);
        s[0] += a;
        s[1]++;
      }
    }
    List<Double> bySchool =
        means.get("trust").values().stream().map(s -> s[0] / s[1]).sorted().toList();
    assertThat(bySchool.get(bySchool.size() - 1) - bySchool.get(0)).isGreaterThan(0.5);
  }

  @Test
  void writesEveryFileAndAManifestInSendingOrder(@TempDir Path dir) throws Exception {
    GenerateCommand.write(DEMO, dir);
    assertThat(dir.resolve("schools.json")).exists();
    assertThat(dir.resolve("manifest.json")).exists();
    String manifest = Files.readString(dir.resolve("manifest.json"));
    assertThat(manifest)
        .contains("\"mapping\" : \"qualtrics\"")
        .contains("\"resource\" : \"submissions\"");
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(DEMO.deliveries().size() + 2 + 2);
    }
    // Every CSV line has as many fields as its header.
    for (Delivery d : DEMO.deliveries()) {
      if (d.upload() && !d.body().contains("\"")) {
        String[] lines = d.body().split("\n");
        int columns = lines[0].split(",", -1).length;
        for (String line : lines) {
          assertThat(line.split(",", -1)).as(d.name()).hasSize(columns);
        }
      }
    }
  }
}

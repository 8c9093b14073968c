package dev.chorus.launcher.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./chorus generate [--seed S] [--out DIR]}: writes a synthetic district as a district would
 * send it — the school directory, rosters, CSV exports in three tools' layouts and JSON submissions
 * — plus {@code manifest.json}, the order to send them in.
 */
public final class GenerateCommand {

  private GenerateCommand() {}

  public static void main(String[] args) throws IOException {
    long seed = 42;
    Path out = Path.of("demo-district");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> {
          System.err.println("unknown option " + args[i] + " (--seed S, --out DIR)");
          System.exit(2);
        }
      }
    }
    DemoGenerator.Demo demo = DemoGenerator.generate(seed);
    write(demo, out);
    System.out.printf(
        "Wrote district '%s' (seed %d) to %s: %d schools, %d files to send (see manifest.json),"
            + " %d responses, %d invalid rows on purpose.%n",
        DemoGenerator.DISTRICT,
        seed,
        out.toAbsolutePath(),
        demo.schools().size(),
        demo.deliveries().size(),
        demo.responses().size(),
        demo.invalidRows());
  }

  /** Writes every file of the district into {@code dir}. */
  public static void write(DemoGenerator.Demo demo, Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    List<Map<String, String>> schools = new ArrayList<>();
    for (DemoGenerator.School s : demo.schools()) {
      schools.add(Map.of("id", s.id(), "name", s.name()));
    }
    json.writeValue(dir.resolve("schools.json").toFile(), Map.of("schools", schools));
    List<Map<String, Object>> manifest = new ArrayList<>();
    manifest.add(step("PUT", "schools", "schools.json", null, null));
    for (var roster : demo.rosters().entrySet()) {
      String file = "roster-" + roster.getKey() + ".json";
      json.writeValue(dir.resolve(file).toFile(), Map.of("schools", roster.getValue()));
      manifest.add(step("PUT", "rosters/" + roster.getKey(), file, roster.getKey(), null));
    }
    int n = 0;
    for (DemoGenerator.Delivery d : demo.deliveries()) {
      String file = String.format("%02d-%s", ++n, d.name());
      Files.writeString(dir.resolve(file), d.body());
      manifest.add(
          step("POST", d.upload() ? "uploads" : "submissions", file, d.cycle(), d.mapping()));
    }
    json.writeValue(dir.resolve("manifest.json").toFile(), manifest);
  }

  private static Map<String, Object> step(
      String method, String resource, String file, String cycle, String mapping) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("method", method);
    step.put("resource", resource);
    step.put("file", file);
    if (cycle != null) {
      step.put("cycle", cycle);
    }
    if (mapping != null) {
      step.put("mapping", mapping);
    }
    return step;
  }
}

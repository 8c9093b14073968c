package dev.chorus.launcher.demo;

import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic district, deterministic by seed, shaped like real survey data: ~12 schools of varied
 * size with staff in every role, two cycles (spring exports, fall exports plus a pulse stream of
 * JSON submissions across days), school-level differences in every condition, administrators
 * crediting other groups with more influence than those groups report, missing answers,
 * resubmissions, a duplicate upload, a late export, a few invalid rows and a school small enough
 * that some of its groups are suppressed. Pure: no I/O.
 */
public final class DemoGenerator {

  /** The district id the demo uses. */
  public static final String DISTRICT = "demo";

  static final String SPRING = "2026-spring";
  static final String FALL = "2026-fall";

  private static final Instant SPRING_START = Instant.parse("2026-03-02T07:00:00Z");
  private static final Instant FALL_START = Instant.parse("2026-09-14T07:00:00Z");
  private static final Instant PULSE_START = Instant.parse("2026-10-12T07:00:00Z");

  private static final DateTimeFormatter GOOGLE =
      DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter QUALTRICS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** A school and its staff by role (the roster). */
  public record School(String id, String name, Map<String, Integer> staff) {
    int size() {
      return staff.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * One response as the district means it: what the pipeline must count (invalid rows are not
   * here). Answers are on the instrument's scales; influence is area → group → rating 1..4.
   */
  public record Response(
      String id,
      String school,
      String cycle,
      String respondent,
      String role,
      Instant submittedAt,
      Map<String, Integer> answers,
      Map<String, Map<String, Integer>> influence,
      Map<String, List<String>> reflection) {}

  /**
   * Something the district sends, in order: an upload or a batch of JSON submissions, with the
   * valid responses it carries in file order.
   */
  public record Delivery(
      String name,
      String cycle,
      String mapping,
      String contentType,
      String body,
      List<Response> responses) {
    /** Whether this is a CSV upload (else NDJSON submissions). */
    public boolean upload() {
      return mapping != null;
    }
  }

  /** The generated district. */
  public record Demo(
      long seed,
      List<School> schools,
      Map<String, Map<String, Map<String, Integer>>> rosters,
      List<Delivery> deliveries,
      List<Response> responses,
      int invalidRows) {}

  private static final List<String> ROLES =
      List.of("TEACHER", "ADMINISTRATOR", "PARAPROFESSIONAL", "SUPPORT_STAFF", "OTHER_STAFF");

  /** Base influence (1..4) of each group as staff see it. */
  private static final Map<String, Double> BASE_INFLUENCE =
      Map.of(
          "administrators", 3.4,
          "district_office", 3.0,
          "teachers", 2.4,
          "paraprofessionals", 1.7,
          "support_staff", 1.8,
          "students", 1.5,
          "families", 1.6);

  private final Instrument instrument = InstrumentLoader.defaultInstrument();
  private final Random random;
  private final long seed;

  private DemoGenerator(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  /** The district for {@code seed}; the same seed always gives the same district. */
  public static Demo generate(long seed) {
    return new DemoGenerator(seed).build();
  }

  private Demo build() {
    List<School> schools = schools();
    Map<String, double[]> climate = new LinkedHashMap<>();
    Map<String, Double> sharing = new LinkedHashMap<>();
    for (School s : schools) {
      double[] effects = new double[instrument.scales().size()];
      for (int i = 0; i < effects.length; i++) {
        effects[i] = random.nextGaussian() * 0.55;
      }
      climate.put(s.id(), effects);
      sharing.put(s.id(), random.nextGaussian() * 0.35);
    }
    Map<String, Map<String, Map<String, Integer>>> rosters = new LinkedHashMap<>();
    for (String cycle : List.of(SPRING, FALL)) {
      Map<String, Map<String, Integer>> byschool = new LinkedHashMap<>();
      for (School s : schools) {
        byschool.put(s.id(), s.staff());
      }
      rosters.put(cycle, byschool);
    }

    List<Response> responses = new ArrayList<>();
    List<Delivery> deliveries = new ArrayList<>();
    int[] counter = {0};
    // Layouts by school: each tool exports several schools.
    Map<String, List<School>> byLayout = new LinkedHashMap<>();
    for (int i = 0; i < schools.size(); i++) {
      String layout = i % 3 == 0 ? "generic" : i % 3 == 1 ? "google-forms" : "qualtrics";
      byLayout.computeIfAbsent(layout, k -> new ArrayList<>()).add(schools.get(i));
    }
    int invalid = 0;
    School lateSchool = schools.get(1);
    Delivery lateExport = null;
    for (String cycle : List.of(SPRING, FALL)) {
      Instant start = cycle.equals(SPRING) ? SPRING_START : FALL_START;
      for (Map.Entry<String, List<School>> layout : byLayout.entrySet()) {
        List<Response> rows = new ArrayList<>();
        List<Response> lateRows = new ArrayList<>();
        for (School school : layout.getValue()) {
          for (Map.Entry<String, Integer> role : school.staff().entrySet()) {
            for (int k = 0; k < role.getValue(); k++) {
              // Not everyone answers: 70-90 % per school and cycle.
              if (random.nextDouble() > 0.7 + 0.2 * (school.id().hashCode() & 1)) {
                continue;
              }
              Response r =
                  response(
                      counter,
                      school,
                      cycle,
                      staffId(school, role.getKey(), k),
                      role.getKey(),
                      start.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 18))),
                      climate.get(school.id()),
                      sharing.get(school.id()));
              if (layout.getKey().equals("qualtrics")) {
                // This district's Qualtrics survey asks the items only.
                r =
                    new Response(
                        r.id(),
                        r.school(),
                        r.cycle(),
                        r.respondent(),
                        r.role(),
                        r.submittedAt(),
                        r.answers(),
                        Map.of(),
                        Map.of());
              }
              responses.add(r);
              (cycle.equals(FALL) && school == lateSchool ? lateRows : rows).add(r);
            }
          }
        }
        // Tools export in submission order.
        rows.sort(java.util.Comparator.comparing(Response::submittedAt));
        lateRows.sort(java.util.Comparator.comparing(Response::submittedAt));
        int bad = cycle.equals(FALL) && layout.getKey().equals("google-forms") ? 3 : 0;
        invalid += bad;
        deliveries.add(
            new Delivery(
                cycle + "-" + layout.getKey() + ".csv",
                cycle,
                layout.getKey(),
                "text/csv",
                csv(layout.getKey(), rows, bad),
                List.copyOf(rows)));
        if (!lateRows.isEmpty()) {
          lateExport =
              new Delivery(
                  cycle + "-" + layout.getKey() + "-" + lateSchool.id() + "-late.csv",
                  cycle,
                  layout.getKey(),
                  "text/csv",
                  csv(layout.getKey(), lateRows, 0),
                  List.copyOf(lateRows));
        }
      }
    }
    // The same spring export uploaded twice by mistake: counted once.
    deliveries.add(
        new Delivery(
            "duplicate-" + deliveries.get(0).name(),
            deliveries.get(0).cycle(),
            deliveries.get(0).mapping(),
            "text/csv",
            deliveries.get(0).body(),
            deliveries.get(0).responses()));
    // Fall pulse: short JSON check-ins over four weeks, some from people who answered before
    // (their latest answers count), one batch per week.
    List<Response> fallEarlier = responses.stream().filter(r -> r.cycle().equals(FALL)).toList();
    for (int week = 0; week < 4; week++) {
      StringBuilder ndjson = new StringBuilder();
      List<Response> batch = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        Instant at =
            PULSE_START
                .plus(Duration.ofDays(7L * week + random.nextInt(7)))
                .plus(Duration.ofMinutes(random.nextInt(600)));
        // Check-ins come from staff on the roster: some answered before (their latest answers
        // count), some answer for the first time. The school whose fall export arrives late
        // keeps sending check-ins meanwhile.
        School school = i == 0 ? lateSchool : schools.get(random.nextInt(schools.size()));
        String role = rosterRole(school);
        String respondent = staffId(school, role, random.nextInt(school.staff().get(role)));
        String earlierRole =
            fallEarlier.stream()
                .filter(e -> e.respondent().equals(respondent))
                .map(Response::role)
                .findFirst()
                .orElse(role);
        Response r =
            response(
                counter,
                school,
                FALL,
                respondent,
                earlierRole,
                at,
                climate.get(school.id()),
                sharing.get(school.id()));
        responses.add(r);
        batch.add(r);
        ndjson.append(json(r)).append('\n');
      }
      deliveries.add(
          new Delivery(
              FALL + "-pulse-week-" + (week + 1) + ".ndjson",
              FALL,
              null,
              "application/x-ndjson",
              ndjson.toString(),
              List.copyOf(batch)));
    }
    // One school's fall export arrives last, weeks after its pulse data: late.
    if (lateExport != null) {
      deliveries.add(lateExport);
    }
    return new Demo(seed, schools, rosters, deliveries, responses, invalid);
  }

  private List<School> schools() {
    String[][] names = {
      {"lincoln", "Lincoln Elementary"},
      {"roosevelt", "Roosevelt Middle"},
      {"washington", "Washington High"},
      {"jefferson", "Jefferson Elementary"},
      {"adams", "Adams Elementary"},
      {"madison", "Madison Middle"},
      {"monroe", "Monroe Elementary"},
      {"jackson", "Jackson High"},
      {"king", "King Elementary"},
      {"parks", "Parks Middle"},
      {"chavez", "Chavez Elementary"},
      {"hillside", "Hillside Community School"}
    };
    List<School> schools = new ArrayList<>();
    for (String[] n : names) {
      Map<String, Integer> staff = new LinkedHashMap<>();
      if (n[0].equals("hillside")) {
        // Small on purpose: its administrator and paraprofessional groups are suppressed.
        staff.put("TEACHER", 6);
        staff.put("ADMINISTRATOR", 1);
        staff.put("PARAPROFESSIONAL", 2);
      } else {
        int teachers = n[1].endsWith("High") ? 45 + random.nextInt(20) : 18 + random.nextInt(20);
        staff.put("TEACHER", teachers);
        staff.put("ADMINISTRATOR", 2 + random.nextInt(5));
        staff.put("PARAPROFESSIONAL", 3 + random.nextInt(8));
        staff.put("SUPPORT_STAFF", 3 + random.nextInt(6));
        staff.put("OTHER_STAFF", 1 + random.nextInt(5));
      }
      schools.add(new School(n[0], n[1], staff));
    }
    return schools;
  }

  /** A role drawn in proportion to the school's staff. */
  private String rosterRole(School school) {
    int pick = random.nextInt(school.size());
    for (Map.Entry<String, Integer> role : school.staff().entrySet()) {
      pick -= role.getValue();
      if (pick < 0) {
        return role.getKey();
      }
    }
    throw new IllegalStateException("empty school " + school.id());
  }

  private static String staffId(School school, String role, int k) {
    return school.id()
        + "-"
        + role.toLowerCase(Locale.ROOT)
        + "-"
        + k
        + "@"
        + DISTRICT
        + ".k12.example";
  }

  private Response response(
      int[] counter,
      School school,
      String cycle,
      String respondent,
      String role,
      Instant at,
      double[] climate,
      double sharing) {
    double person = random.nextGaussian() * 0.45;
    Map<String, Integer> answers = new LinkedHashMap<>();
    for (Instrument.Item item : instrument.items()) {
      if (random.nextDouble() < 0.06) {
        continue; // skipped or "don't know"
      }
      int scale = scaleIndex(item.scale());
      double latent = 3.4 + climate[scale] + person + random.nextGaussian() * 0.7;
      int answer = (int) Math.round(Math.max(1, Math.min(5, latent)));
      if (Boolean.TRUE.equals(item.reverseScored())) {
        answer = 6 - answer;
      }
      answers.put(item.id(), answer);
    }
    Map<String, Map<String, Integer>> influence = new LinkedHashMap<>();
    for (Instrument.DecisionArea area : instrument.decisionAreas()) {
      Map<String, Integer> ratings = new LinkedHashMap<>();
      for (Instrument.Group group : instrument.groups()) {
        if (random.nextDouble() < 0.1) {
          continue; // "don't know"
        }
        double base = BASE_INFLUENCE.getOrDefault(group.id(), 2.0);
        boolean nonAdmin =
            !group.id().equals("administrators") && !group.id().equals("district_office");
        double value = base + (nonAdmin ? sharing : 0) + random.nextGaussian() * 0.6;
        if (role.equals("ADMINISTRATOR") && nonAdmin) {
          value += 0.7; // administrators see more shared influence than the groups themselves
        }
        ratings.put(group.id(), (int) Math.round(Math.max(1, Math.min(4, value))));
      }
      influence.put(area.id(), ratings);
    }
    Map<String, List<String>> reflection = new LinkedHashMap<>();
    reflection.put("shaped_by", pick(sharing > 0 ? 0.6 : 0.3));
    reflection.put("input_from", pick(0.5));
    reflection.put("led_by", pick(0.3));
    reflection.put("implemented_by", List.of("teachers"));
    counter[0]++;
    return new Response(
        DISTRICT + "-" + seed + "-" + counter[0],
        school.id(),
        cycle,
        respondent,
        role,
        at,
        answers,
        influence,
        reflection);
  }

  private List<String> pick(double teacherShare) {
    List<String> groups = new ArrayList<>(List.of("administrators"));
    if (random.nextDouble() < teacherShare) {
      groups.add("teachers");
    }
    if (random.nextDouble() < teacherShare / 3) {
      groups.add("families");
    }
    return groups;
  }

  private int scaleIndex(String scale) {
    for (int i = 0; i < instrument.scales().size(); i++) {
      if (instrument.scales().get(i).id().equals(scale)) {
        return i;
      }
    }
    throw new IllegalStateException("unknown scale " + scale);
  }

  /** One export in a tool's layout; {@code bad} extra rows are invalid on purpose. */
  private String csv(String layout, List<Response> rows, int bad) {
    List<String> header = new ArrayList<>();
    List<List<String>> lines = new ArrayList<>();
    List<Instrument.Item> items = instrument.items();
    switch (layout) {
      case "generic" -> {
        header.addAll(List.of("school_id", "respondent_id", "role", "submitted_at"));
        items.forEach(i -> header.add(i.id()));
        for (Instrument.DecisionArea a : instrument.decisionAreas()) {
          for (Instrument.Group g : instrument.groups()) {
            header.add("influence." + a.id() + "." + g.id());
          }
        }
        for (String kind : List.of("shaped_by", "input_from", "led_by", "implemented_by")) {
          header.add("reflection." + kind);
        }
        for (Response r : rows) {
          List<String> line =
              new ArrayList<>(
                  List.of(r.school(), r.respondent(), r.role(), r.submittedAt().toString()));
          items.forEach(i -> line.add(answer(r, i.id(), false)));
          addInfluence(r, line, false);
          addReflection(r, line, ";", true);
          lines.add(line);
        }
      }
      case "google-forms" -> {
        header.addAll(List.of("Timestamp", "Email Address", "School", "Role"));
        items.forEach(i -> header.add(i.text()));
        for (Instrument.DecisionArea a : instrument.decisionAreas()) {
          for (Instrument.Group g : instrument.groups()) {
            header.add(
                "How much influence does each group have over "
                    + a.name()
                    + "? ["
                    + g.name()
                    + "]");
          }
        }
        header.addAll(
            List.of(
                "Who shaped this decision?",
                "Who gave input?",
                "Who led the work?",
                "Who implemented it?",
                "Score"));
        for (Response r : rows) {
          List<String> line =
              new ArrayList<>(
                  List.of(
                      GOOGLE.format(r.submittedAt()), r.respondent(), r.school(), title(r.role())));
          items.forEach(i -> line.add(answer(r, i.id(), true)));
          addInfluence(r, line, true);
          addReflection(r, line, ";", false);
          line.add("");
          lines.add(line);
        }
        for (int b = 0; b < bad; b++) {
          List<String> line = new ArrayList<>(lines.get(b));
          line.set(1, "invalid-" + b + "@" + DISTRICT + ".k12.example");
          if (b == 0) {
            line.set(2, "atlantis"); // a school the district does not have
          } else {
            line.set(4, "7"); // outside the 1..5 answer scale
          }
          lines.add(line);
        }
      }
      case "qualtrics" -> {
        List<String> tags =
            new ArrayList<>(
                List.of(
                    "StartDate",
                    "EndDate",
                    "Status",
                    "IPAddress",
                    "RecordedDate",
                    "ResponseId",
                    "RecipientEmail",
                    "RecipientFirstName",
                    "school",
                    "role"));
        items.forEach(i -> tags.add(i.id()));
        header.addAll(tags);
        List<String> texts = new ArrayList<>();
        List<String> imports = new ArrayList<>();
        for (String t : tags) {
          texts.add(t.contains("_") ? instrumentText(t) : t);
          imports.add("{\"ImportId\":\"" + t + "\"}");
        }
        lines.add(texts);
        lines.add(imports);
        for (Response r : rows) {
          String at = QUALTRICS.format(r.submittedAt());
          List<String> line =
              new ArrayList<>(
                  List.of(
                      QUALTRICS.format(r.submittedAt().minusSeconds(300)),
                      at,
                      "0",
                      "10.0." + (r.id().hashCode() & 255) + ".1",
                      at,
                      "R_" + Integer.toHexString(r.id().hashCode()),
                      r.respondent(),
                      "Staff",
                      r.school(),
                      title(r.role())));
          items.forEach(i -> line.add(answer(r, i.id(), true)));
          lines.add(line);
        }
      }
      default -> throw new IllegalArgumentException("unknown layout " + layout);
    }
    StringBuilder out = new StringBuilder();
    out.append(csvLine(header));
    for (List<String> line : lines) {
      out.append(csvLine(line));
    }
    return out.toString();
  }

  private String instrumentText(String itemId) {
    return instrument.items().stream()
        .filter(i -> i.id().equals(itemId))
        .map(Instrument.Item::text)
        .findFirst()
        .orElse(itemId);
  }

  private static final String[] AGREEMENT = {
    "", "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"
  };
  private static final String[] INFLUENCE = {"", "None", "A little", "Some", "A great deal"};

  private static String answer(Response r, String item, boolean labels) {
    Integer a = r.answers().get(item);
    if (a == null) {
      return labels ? "Don't know" : "";
    }
    return labels ? AGREEMENT[a] : Integer.toString(a);
  }

  private void addInfluence(Response r, List<String> line, boolean labels) {
    for (Instrument.DecisionArea a : instrument.decisionAreas()) {
      for (Instrument.Group g : instrument.groups()) {
        Integer v = r.influence().getOrDefault(a.id(), Map.of()).get(g.id());
        line.add(v == null ? "" : labels ? INFLUENCE[v] : Integer.toString(v));
      }
    }
  }

  private void addReflection(Response r, List<String> line, String separator, boolean ids) {
    for (String kind : List.of("shaped_by", "input_from", "led_by", "implemented_by")) {
      List<String> groups = r.reflection().getOrDefault(kind, List.of());
      List<String> names = new ArrayList<>();
      for (String g : groups) {
        if (ids) {
          names.add(g);
          continue;
        }
        names.add(
            instrument.groups().stream()
                .filter(x -> x.id().equals(g))
                .map(Instrument.Group::name)
                .findFirst()
                .orElse(g));
      }
      line.add(String.join(separator, names));
    }
  }

  private static String title(String role) {
    return switch (role) {
      case "TEACHER" -> "Teacher";
      case "ADMINISTRATOR" -> "Principal";
      case "PARAPROFESSIONAL" -> "Para";
      case "SUPPORT_STAFF" -> "Counselor";
      default -> "Other staff";
    };
  }

  private static String csvLine(List<String> values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      String v = values.get(i);
      if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
        s.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        s.append(v);
      }
    }
    return s.append('\n').toString();
  }

  /** A submission for the JSON API. */
  private String json(Response r) {
    StringBuilder s = new StringBuilder("{");
    s.append("\"submission_id\":\"").append(r.id()).append("\",");
    s.append("\"school_id\":\"").append(r.school()).append("\",");
    s.append("\"cycle\":\"").append(r.cycle()).append("\",");
    s.append("\"respondent_id\":\"").append(r.respondent()).append("\",");
    s.append("\"role\":\"").append(r.role()).append("\",");
    s.append("\"submitted_at\":\"").append(r.submittedAt()).append("\",");
    s.append("\"answers\":{");
    boolean first = true;
    for (Map.Entry<String, Integer> a : r.answers().entrySet()) {
      s.append(first ? "" : ",").append('"').append(a.getKey()).append("\":").append(a.getValue());
      first = false;
    }
    s.append("},\"influence\":{");
    first = true;
    for (Map.Entry<String, Map<String, Integer>> area : r.influence().entrySet()) {
      s.append(first ? "" : ",").append('"').append(area.getKey()).append("\":{");
      boolean inner = true;
      for (Map.Entry<String, Integer> g : area.getValue().entrySet()) {
        s.append(inner ? "" : ",")
            .append('"')
            .append(g.getKey())
            .append("\":")
            .append(g.getValue());
        inner = false;
      }
      s.append('}');
      first = false;
    }
    s.append("},\"reflection\":{");
    first = true;
    for (Map.Entry<String, List<String>> k : r.reflection().entrySet()) {
      s.append(first ? "" : ",").append('"').append(k.getKey()).append("\":[");
      for (int i = 0; i < k.getValue().size(); i++) {
        s.append(i == 0 ? "" : ",").append('"').append(k.getValue().get(i)).append('"');
      }
      s.append(']');
      first = false;
    }
    return s.append("}}").toString();
  }
}

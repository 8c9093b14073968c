package dev.chorus.processor;

import dev.chorus.avro.DecisionReflection;
import dev.chorus.avro.InfluenceRating;
import dev.chorus.avro.Role;
import dev.chorus.avro.Roster;
import dev.chorus.avro.RosterCount;
import dev.chorus.avro.SourceChannel;
import dev.chorus.avro.SubmissionSource;
import dev.chorus.avro.SurveySubmission;
import dev.chorus.contracts.ChorusTopics;
import dev.chorus.instrument.Instrument;
import dev.chorus.instrument.InstrumentLoader;
import dev.chorus.processor.engine.Aggregates;
import dev.chorus.processor.suppression.SmallCellPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test submissions: hand-built ones and random sets with every awkward case of the domain. */
public final class Scenarios {

  public static final Instrument INSTRUMENT = InstrumentLoader.defaultInstrument();
  public static final Instant DAY0 = Instant.parse("2026-09-01T00:00:00Z");
  public static final List<String> ITEMS =
      List.of(
          "vision_strategy_1",
          "vision_strategy_2",
          "trust_respect_5",
          "burnout_risk",
          "shared_influence_3");
  private static final Role[] ROLES = {
    Role.TEACHER, Role.TEACHER, Role.TEACHER, Role.ADMINISTRATOR, Role.PARAPROFESSIONAL
  };

  private Scenarios() {}

  /** Settings for tests: windows of 3 and 7 days, 2 days of grace, k_min 5, gate 0.5. */
  public static Aggregates.Settings settings() {
    return new Aggregates.Settings(List.of(3, 7), Duration.ofDays(2), new SmallCellPolicy(5), 0.5);
  }

  /** Output topic per record type. */
  public static Map<Class<?>, String> outputs(ChorusTopics topics) {
    return dev.chorus.processor.topology.MetricsTopology.outputTopics(topics);
  }

  /** A submission on day {@code day} (hours after midnight UTC in {@code hour}). */
  public static SurveySubmission submission(
      String id,
      String school,
      String cycle,
      String respondent,
      Role role,
      int day,
      int hour,
      Map<String, Integer> answers,
      List<String> cohorts) {
    Instant at = DAY0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
    return SurveySubmission.newBuilder()
        .setSubmissionId(id)
        .setDistrictId("d1")
        .setSchoolId(school)
        .setCycle(cycle)
        .setInstrumentId(INSTRUMENT.id())
        .setInstrumentVersion(INSTRUMENT.version())
        .setRespondentKey(respondent)
        .setRole(role)
        .setCohortTags(cohorts)
        .setSubmittedAt(at)
        .setReceivedAt(at.plusSeconds(5))
        .setAnswers(answers)
        .setSource(new SubmissionSource(SourceChannel.API, null, null, null))
        .build();
  }

  /** A roster of one school. */
  public static Roster roster(String school, String cycle, Map<Role, Integer> staff) {
    List<RosterCount> counts = new ArrayList<>();
    staff.forEach((role, n) -> counts.add(new RosterCount(role, n)));
    return new Roster("d1", cycle, school, counts, DAY0);
  }

  /**
   * A random district: two cycles over ~three weeks at up to three schools, resubmissions (some
   * changing role, some older than what they follow), duplicate deliveries, anonymous respondents,
   * cohort tags, shuffled so arrival order is random (which makes some records late).
   */
  public static List<SurveySubmission> randomDistrict(Random random) {
    List<SurveySubmission> input = new ArrayList<>();
    int id = 0;
    List<String> schools =
        List.of("lincoln", "roosevelt", "adams").subList(0, 1 + random.nextInt(3));
    for (String cycle : List.of("2026-fall", "2027-spring")) {
      int cycleStart = cycle.equals("2026-fall") ? 0 : 10;
      for (String school : schools) {
        int respondents = random.nextInt(12);
        for (int r = 0; r < respondents; r++) {
          String key = random.nextInt(6) == 0 ? null : school + "-r" + r;
          int versions = 1 + (key == null ? 0 : random.nextInt(3));
          Role role = ROLES[random.nextInt(ROLES.length)];
          for (int v = 0; v < versions; v++) {
            Map<String, Integer> answers = new HashMap<>();
            for (String item : ITEMS) {
              if (random.nextInt(4) != 0) {
                answers.put(item, 1 + random.nextInt(5));
              }
            }
            if (random.nextInt(5) == 0) {
              role = ROLES[random.nextInt(ROLES.length)];
            }
            SurveySubmission s =
                withInfluence(
                    submission(
                        "s" + id++,
                        school,
                        cycle,
                        key,
                        role,
                        cycleStart + random.nextInt(12),
                        random.nextInt(24),
                        answers,
                        random.nextInt(4) == 0 ? List.of("pilot") : List.of()),
                    random);
            input.add(s);
            if (random.nextInt(8) == 0) {
              input.add(s);
            }
          }
        }
      }
    }
    Collections.shuffle(input, random);
    return input;
  }

  /**
   * A larger district: {@code respondents} staff per school over {@code days} days, three in four
   * in cycle 2026-fall and the rest in 2026-spring, schools differing in their answers (each school
   * leans a step lower, not at all or a step higher), resubmissions, duplicate deliveries,
   * anonymous respondents, cohort tags and influence ratings; shuffled.
   */
  public static List<SurveySubmission> district(
      Random random, String district, List<String> schools, int respondents, int days) {
    List<SurveySubmission> all = new ArrayList<>();
    int id = 0;
    for (int index = 0; index < schools.size(); index++) {
      String school = schools.get(index);
      int lean = index % 3 - 1;
      for (int r = 0; r < respondents; r++) {
        String key = random.nextInt(8) == 0 ? null : school + "-r" + r;
        int versions = key == null ? 1 : 1 + random.nextInt(3);
        for (int v = 0; v < versions; v++) {
          Map<String, Integer> answers = new HashMap<>();
          for (String item : ITEMS) {
            if (random.nextInt(5) != 0) {
              answers.put(item, Math.max(1, Math.min(5, 1 + random.nextInt(5) + lean)));
            }
          }
          SurveySubmission s =
              submission(
                  district + "-s" + id++,
                  school,
                  random.nextInt(4) == 0 ? "2026-spring" : "2026-fall",
                  key,
                  ROLES[random.nextInt(ROLES.length)],
                  random.nextInt(days),
                  random.nextInt(24),
                  answers,
                  random.nextInt(5) == 0 ? List.of("pilot") : List.of());
          s.put("district_id", district);
          withInfluence(s, random);
          all.add(s);
          if (random.nextInt(10) == 0) {
            all.add(s);
          }
        }
      }
    }
    Collections.shuffle(all, random);
    return all;
  }

  private static final List<String> AREAS = List.of("budget_resources", "professional_learning");
  private static final List<String> GROUPS = List.of("administrators", "teachers", "families");

  /** The submission with random influence ratings (some missing: "don't know"). */
  public static SurveySubmission withInfluence(SurveySubmission s, Random random) {
    List<InfluenceRating> ratings = new ArrayList<>();
    for (String area : AREAS) {
      for (String group : GROUPS) {
        if (random.nextInt(5) != 0) {
          ratings.add(new InfluenceRating(area, group, 1 + random.nextInt(4)));
        }
      }
    }
    s.put("influence", ratings);
    if (random.nextInt(3) != 0) {
      s.put(
          "reflection",
          new DecisionReflection(
              someOf(GROUPS, random),
              someOf(GROUPS, random),
              someOf(GROUPS, random),
              someOf(GROUPS, random)));
    }
    return s;
  }

  private static List<String> someOf(List<String> groups, Random random) {
    List<String> some = new ArrayList<>();
    for (String g : groups) {
      if (random.nextInt(2) == 0) {
        some.add(g);
      }
    }
    return some;
  }

  /** Rosters for some of the random district's schools. */
  public static List<Roster> randomRosters(Random random) {
    List<Roster> rosters = new ArrayList<>();
    for (String school : List.of("lincoln", "roosevelt")) {
      if (random.nextBoolean()) {
        rosters.add(
            roster(
                school,
                "2026-fall",
                Map.of(Role.TEACHER, 5 + random.nextInt(10), Role.ADMINISTRATOR, 2)));
      }
    }
    return rosters;
  }
}

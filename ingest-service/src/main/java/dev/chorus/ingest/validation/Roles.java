package dev.chorus.ingest.validation;

import dev.chorus.avro.Role;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads a respondent's role from the text survey tools export ("Teacher", "Asst. Principal"…). */
public final class Roles {

  private static final Map<String, Role> ALIASES = new HashMap<>();
  private static final java.util.regex.Pattern SEPARATORS =
      java.util.regex.Pattern.compile("[\\s_]+");

  static {
    for (Role role : Role.values()) {
      if (role != Role.UNKNOWN) {
        alias(role, role.name(), role.name().replace('_', ' '));
      }
    }
    alias(
        Role.ADMINISTRATOR,
        "admin",
        "administrators",
        "principal",
        "assistant principal",
        "asst. principal",
        "vice principal",
        "dean",
        "school leader",
        "school administrator");
    alias(
        Role.TEACHER, "teachers", "classroom teacher", "educator", "instructor", "teacher leader");
    alias(
        Role.PARAPROFESSIONAL,
        "para",
        "paras",
        "paraprofessionals",
        "paraeducator",
        "teaching assistant",
        "instructional aide",
        "aide");
    alias(
        Role.SUPPORT_STAFF,
        "support",
        "counselor",
        "school counselor",
        "social worker",
        "psychologist",
        "school psychologist",
        "specialist",
        "nurse",
        "coach",
        "instructional coach",
        "librarian");
    alias(Role.OTHER_STAFF, "other", "staff", "office staff", "custodian", "other staff member");
    alias(Role.STUDENT, "students");
    alias(Role.FAMILY, "parent", "guardian", "families", "parent/guardian");
  }

  private Roles() {}

  private static void alias(Role role, String... names) {
    for (String name : names) {
      ALIASES.put(normalize(name), role);
    }
  }

  private static String normalize(String text) {
    return SEPARATORS.matcher(text.trim()).replaceAll(" ").toLowerCase(Locale.ROOT);
  }

  /** The role named by {@code text}, if any. */
  public static Optional<Role> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(ALIASES.get(normalize(text)));
  }
}

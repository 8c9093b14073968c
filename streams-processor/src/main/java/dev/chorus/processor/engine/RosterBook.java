package dev.chorus.processor.engine;

import dev.chorus.avro.Roster;
import dev.chorus.avro.RosterCount;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Staff counts per district, cycle, school and role (domain spec §8), and the response gate rule. A
 * district's roster for a role group is the sum over its schools that have a roster.
 */
public final class RosterBook {

  private final Map<String, Map<String, Map<String, Integer>>> byDistrict = new HashMap<>();

  /** Takes a school's roster for a cycle, replacing an earlier one. */
  public void put(Roster roster) {
    Map<String, Integer> counts = new TreeMap<>();
    for (RosterCount c : roster.getCounts()) {
      counts.merge(c.getRole().name(), c.getStaff(), Integer::sum);
    }
    byDistrict
        .computeIfAbsent(roster.getDistrictId(), d -> new TreeMap<>())
        .put(roster.getCycle() + "|" + roster.getSchoolId(), counts);
  }

  /** The roles listed in a school's roster of a cycle (empty without a roster). */
  public Set<String> roles(String districtId, String cycle, String schoolId) {
    Map<String, Integer> counts =
        byDistrict.getOrDefault(districtId, Map.of()).get(cycle + "|" + schoolId);
    return counts == null ? Set.of() : counts.keySet();
  }

  /** Staff of a school (null: the district) in a role group, or null when no roster is known. */
  public Integer roster(String districtId, String schoolId, String cycle, String roleGroup) {
    Map<String, Map<String, Integer>> rosters = byDistrict.getOrDefault(districtId, Map.of());
    if (schoolId != null) {
      Map<String, Integer> counts = rosters.get(cycle + "|" + schoolId);
      return counts == null ? null : count(counts, roleGroup);
    }
    Integer total = null;
    String prefix = cycle + "|";
    for (var roster : rosters.entrySet()) {
      if (roster.getKey().startsWith(prefix)) {
        total = (total == null ? 0 : total) + count(roster.getValue(), roleGroup);
      }
    }
    return total;
  }

  private static int count(Map<String, Integer> counts, String roleGroup) {
    return Cells.ALL.equals(roleGroup)
        ? counts.values().stream().mapToInt(Integer::intValue).sum()
        : counts.getOrDefault(roleGroup, 0);
  }

  /**
   * Whether results are below the response gate: a gate is set, the roster is known and not empty,
   * and respondents / roster is below the gate.
   */
  public static boolean belowGate(Double gate, Integer rosterAll, long respondents) {
    return gate != null && rosterAll != null && rosterAll > 0 && respondents < gate * rosterAll;
  }
}

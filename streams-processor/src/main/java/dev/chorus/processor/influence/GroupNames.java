package dev.chorus.processor.influence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ids (rated groups, decision areas) numbered in order of first sight, so per-group counters can
 * live in arrays indexed by number; {@link #name} gives back the first-seen String of each. One per
 * reducer (a reducer serves one stream thread).
 */
final class GroupNames {

  private final Map<String, Integer> numbers = new HashMap<>();
  private final List<String> names = new ArrayList<>();

  /** The number of {@code group}, assigned on first sight. */
  int number(String group) {
    Integer n = numbers.get(group);
    if (n == null) {
      n = names.size();
      numbers.put(group, n);
      names.add(group);
    }
    return n;
  }

  String name(int number) {
    return names.get(number);
  }

  /** How many groups have a number. */
  int size() {
    return names.size();
  }
}

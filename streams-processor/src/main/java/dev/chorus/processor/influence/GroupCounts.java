package dev.chorus.processor.influence;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A few counters per rated group, in one array indexed by the group's number ({@link GroupNames}):
 * adding a respondent is a handful of array additions, and an emptied cell is all zeros, equal to a
 * new one.
 */
final class GroupCounts {

  private final int width;
  private final GroupNames names;
  private long[] counts;

  GroupCounts(int width, GroupNames names) {
    this.width = width;
    this.names = names;
    this.counts = new long[names.size() * width];
  }

  /**
   * Adds {@code sign ×} the {@code width} values of {@code values} starting at {@code offset} to
   * the counters of group number {@code group}.
   */
  void add(int group, long[] values, int offset, long sign) {
    int base = group * width;
    if (base + width > counts.length) {
      counts = Arrays.copyOf(counts, Math.max(base + width, names.size() * width));
    }
    for (int k = 0; k < width; k++) {
      counts[base + k] += sign * values[offset + k];
    }
  }

  /** Adds {@code sign ×} every counter of {@code other}. */
  void merge(GroupCounts other, long sign) {
    if (other.counts.length > counts.length) {
      counts = Arrays.copyOf(counts, other.counts.length);
    }
    long[] o = other.counts;
    for (int i = 0; i < o.length; i++) {
      counts[i] += sign * o[i];
    }
  }

  boolean isEmpty() {
    for (long c : counts) {
      if (c != 0) {
        return false;
      }
    }
    return true;
  }

  /** The counters of every group with a non-zero one, by group id, sorted. */
  Map<String, long[]> sorted() {
    Map<String, long[]> sorted = new TreeMap<>();
    for (int base = 0; base < counts.length; base += width) {
      long[] row = Arrays.copyOfRange(counts, base, base + width);
      for (long c : row) {
        if (c != 0) {
          sorted.put(names.name(base / width), row);
          break;
        }
      }
    }
    return sorted;
  }
}

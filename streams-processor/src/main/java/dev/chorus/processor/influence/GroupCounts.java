package dev.chorus.processor.influence;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * A few counters per rated group (an instrument has a handful of groups): parallel arrays searched
 * linearly, much cheaper on the hot path than a tree map per accumulator. Entries whose counters
 * all return to 0 are dropped, so an emptied cell compares equal to a new one.
 */
final class GroupCounts {

  private final int width;
  private String[] names = new String[0];
  private long[][] counts = new long[0][];
  private int size;

  GroupCounts(int width) {
    this.width = width;
  }

  /** Adds {@code sign × values} to the counters of {@code group}. */
  void add(String group, long[] values, long sign) {
    int i = indexOf(group);
    if (i < 0) {
      if (size == names.length) {
        names = Arrays.copyOf(names, Math.max(4, size * 2));
        counts = Arrays.copyOf(counts, names.length);
      }
      names[size] = group;
      counts[size] = new long[width];
      i = size++;
    }
    long[] c = counts[i];
    boolean zero = true;
    for (int k = 0; k < width; k++) {
      c[k] += sign * values[k];
      zero &= c[k] == 0;
    }
    if (zero) {
      size--;
      names[i] = names[size];
      counts[i] = counts[size];
      names[size] = null;
      counts[size] = null;
    }
  }

  private int indexOf(String group) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(group)) {
        return i;
      }
    }
    return -1;
  }

  void forEach(BiConsumer<String, long[]> action) {
    for (int i = 0; i < size; i++) {
      action.accept(names[i], counts[i]);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The counters by group name, sorted. */
  Map<String, long[]> sorted() {
    Map<String, long[]> sorted = new TreeMap<>();
    forEach(sorted::put);
    return sorted;
  }
}

package dev.chorus.processor.engine;

import java.util.Arrays;

/**
 * The day deltas of one rolling cell, in an array indexed by day (a cycle spans a few hundred days
 * at most), so adding a contribution is one array access whatever the window length.
 */
final class DayDeltas<A extends Accumulator<?, A>> {

  private Object[] slots = new Object[0];
  private int base;

  /** The delta of {@code day}, created empty if there is none. */
  A at(int day, Reducer<?, A> reducer) {
    A delta = get(day);
    if (delta == null) {
      delta = reducer.newAccumulator();
      ensure(day);
      slots[day - base] = delta;
    }
    return delta;
  }

  /** The delta of {@code day}, or null. */
  @SuppressWarnings("unchecked")
  A get(int day) {
    int i = day - base;
    return i >= 0 && i < slots.length ? (A) slots[i] : null;
  }

  /** Drops the (zero) delta of {@code day}. */
  void clear(int day) {
    int i = day - base;
    if (i >= 0 && i < slots.length) {
      slots[i] = null;
    }
  }

  /** Adds {@code sign ×} every delta before {@code day} to {@code into}. */
  void sumBefore(int day, A into, int sign) {
    sumFirst(Math.min(slots.length, day - base), into, sign);
  }

  /** Adds {@code sign ×} every delta to {@code into}. */
  void sumAll(A into, int sign) {
    sumFirst(slots.length, into, sign);
  }

  @SuppressWarnings("unchecked")
  private void sumFirst(int end, A into, int sign) {
    for (int i = 0; i < end; i++) {
      if (slots[i] != null) {
        into.merge((A) slots[i], sign);
      }
    }
  }

  /** Adds every delta of this series to the same day of {@code into}, dropping emptied ones. */
  @SuppressWarnings("unchecked")
  void mergeInto(DayDeltas<A> into, Reducer<?, A> reducer) {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null) {
        int day = base + i;
        A delta = into.at(day, reducer);
        delta.merge((A) slots[i], 1);
        if (delta.isZero()) {
          into.clear(day);
        }
      }
    }
  }

  private void ensure(int day) {
    if (slots.length == 0) {
      base = day;
      slots = new Object[16];
      return;
    }
    if (day < base) {
      int shift = Math.max(base - day, 16);
      Object[] grown = new Object[slots.length + shift];
      System.arraycopy(slots, 0, grown, shift, slots.length);
      slots = grown;
      base -= shift;
    }
    if (day - base >= slots.length) {
      slots = Arrays.copyOf(slots, Math.max(day - base + 1, slots.length * 2));
    }
  }
}

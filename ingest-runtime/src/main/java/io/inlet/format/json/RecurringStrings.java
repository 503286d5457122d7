package io.inlet.format.json;

/**
 * The Strings recently made from each column's values, so that a value seen again (a country, a
 * status, an event type) reuses its String instead of allocating one per row. Per column, a
 * small table indexed by the bytes' hash; a column whose values rarely recur skips the look-up
 * for a while. ASCII bytes only: the caller has checked them.
 */
final class RecurringStrings {

    private static final int SLOTS = 64;
    /** Longer values are not kept: they rarely recur and would hold memory. */
    private static final int MAX_LENGTH = 64;
    private static final int WINDOW = 4096;
    private static final int SKIP = 1 << 20;

    private final String[][] tables;
    private final int[] lookups;
    private final int[] hits;
    private final int[] skip;

    RecurringStrings(int columns) {
        tables = new String[columns][SLOTS];
        lookups = new int[columns];
        hits = new int[columns];
        skip = new int[columns];
    }

    @SuppressWarnings("deprecation")
    String of(int column, byte[] b, int start, int length) {
        if (length > MAX_LENGTH || skip[column] > 0) {
            if (skip[column] > 0) {
                skip[column]--;
            }
            return new String(b, 0, start, length);
        }
        int h = 0;
        for (int i = start; i < start + length; i++) {
            h = 31 * h + b[i];
        }
        String[] table = tables[column];
        int slot = (h ^ h >>> 6) & (SLOTS - 1);
        String s = table[slot];
        if (s != null && sameAscii(s, b, start, length)) {
            hits[column]++;
        } else {
            s = new String(b, 0, start, length);
            table[slot] = s;
        }
        if (++lookups[column] == WINDOW) {
            if (hits[column] < WINDOW / 2) {
                skip[column] = SKIP;
            }
            lookups[column] = 0;
            hits[column] = 0;
        }
        return s;
    }

    private static boolean sameAscii(String s, byte[] b, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != b[start + i]) {
                return false;
            }
        }
        return true;
    }
}

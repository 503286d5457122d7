package io.inlet.expr;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/** Date/time parsing and zone arithmetic without exceptions on the per-row path. */
final class Temporals {
    private Temporals() {
    }

    /**
     * Parses 'yyyy-MM-dd', 'yyyy-MM-dd HH:mm[:ss[.f...]]' (also with 'T'), 'yyyyMMdd' and 'yyyyMMddHHmmss'.
     * Month, day, hour, minute and second may have one or two digits. Returns null when not a valid datetime.
     */
    static LocalDateTime parseDateTime(String s) {
        int n = s.length();
        int start = 0;
        while (start < n && s.charAt(start) == ' ') {
            start++;
        }
        while (n > start && s.charAt(n - 1) == ' ') {
            n--;
        }
        int len = n - start;
        if (len < 8) {
            return null;
        }
        if (allDigits(s, start, n)) {
            if (len == 8) {
                return of(num(s, start, 4), num(s, start + 4, 2), num(s, start + 6, 2), 0, 0, 0, 0);
            }
            if (len == 14) {
                return of(num(s, start, 4), num(s, start + 4, 2), num(s, start + 6, 2), num(s, start + 8, 2),
                        num(s, start + 10, 2), num(s, start + 12, 2), 0);
            }
            return null;
        }
        int[] pos = {start};
        int year = digits(s, pos, n, 4, 4);
        if (year < 0 || !expect(s, pos, n, '-')) {
            return null;
        }
        int month = digits(s, pos, n, 1, 2);
        if (month < 0 || !expect(s, pos, n, '-')) {
            return null;
        }
        int day = digits(s, pos, n, 1, 2);
        if (day < 0) {
            return null;
        }
        if (pos[0] == n) {
            return of(year, month, day, 0, 0, 0, 0);
        }
        char sep = s.charAt(pos[0]);
        if (sep != ' ' && sep != 'T') {
            return null;
        }
        pos[0]++;
        while (sep == ' ' && pos[0] < n && s.charAt(pos[0]) == ' ') {
            pos[0]++;
        }
        int hour = digits(s, pos, n, 1, 2);
        if (hour < 0 || !expect(s, pos, n, ':')) {
            return null;
        }
        int minute = digits(s, pos, n, 1, 2);
        if (minute < 0) {
            return null;
        }
        int second = 0;
        int nano = 0;
        if (pos[0] < n) {
            if (!expect(s, pos, n, ':')) {
                return null;
            }
            second = digits(s, pos, n, 1, 2);
            if (second < 0) {
                return null;
            }
            if (pos[0] < n) {
                if (!expect(s, pos, n, '.')) {
                    return null;
                }
                int fs = pos[0];
                int f = digits(s, pos, n, 1, 9);
                if (f < 0 || pos[0] != n) {
                    return null;
                }
                int fd = pos[0] - fs;
                nano = f;
                for (int i = fd; i < 9; i++) {
                    nano *= 10;
                }
                nano = nano / 1000 * 1000; // DATETIME keeps microseconds
            }
        }
        if (pos[0] != n) {
            return null;
        }
        return of(year, month, day, hour, minute, second, nano);
    }

    /** 20200131 → 2020-01-31 00:00:00, 20200131103000 → 2020-01-31 10:30:00; null otherwise. */
    static LocalDateTime fromDigits(long v) {
        if (v >= 10000101L && v <= 99991231L) {
            return of((int) (v / 10000), (int) (v / 100 % 100), (int) (v % 100), 0, 0, 0, 0);
        }
        if (v >= 10000101000000L && v <= 99991231235959L) {
            long d = v / 1000000;
            long t = v % 1000000;
            return of((int) (d / 10000), (int) (d / 100 % 100), (int) (d % 100), (int) (t / 10000),
                    (int) (t / 100 % 100), (int) (t % 100), 0);
        }
        return null;
    }

    /** A validated LocalDateTime, or null when a field is out of range. */
    static LocalDateTime of(int year, int month, int day, int hour, int minute, int second, int nano) {
        if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || nano < 0) {
            return null;
        }
        if (day > daysInMonth(year, month)) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nano);
    }

    static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    /** Reads min..max digits at pos[0]; returns the value or -1. */
    static int digits(String s, int[] pos, int n, int min, int max) {
        int i = pos[0];
        int v = 0;
        int count = 0;
        while (i < n && count < max) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            i++;
            count++;
        }
        if (count < min) {
            return -1;
        }
        pos[0] = i;
        return v;
    }

    private static boolean expect(String s, int[] pos, int n, char c) {
        if (pos[0] < n && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    // ----------------------------------------------------------------------------------------- zones

    /** Local wall time of an epoch second in a zone (fast for fixed offsets). */
    static LocalDateTime ofEpochSecond(long epochSecond, ZoneId zone) {
        ZoneOffset offset = zone instanceof ZoneOffset o ? o : offsetAt(zone.getRules(), epochSecond);
        return LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
    }

    private static ZoneOffset offsetAt(ZoneRules rules, long epochSecond) {
        return rules.isFixedOffset() ? rules.getOffset(java.time.Instant.EPOCH)
                : rules.getOffset(java.time.Instant.ofEpochSecond(epochSecond));
    }

    /** Epoch second of a wall time in a zone (gaps resolve forward, overlaps to the earlier offset). */
    static long toEpochSecond(LocalDateTime t, ZoneId zone) {
        if (zone instanceof ZoneOffset o) {
            return t.toEpochSecond(o);
        }
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return t.toEpochSecond(rules.getOffset(java.time.Instant.EPOCH));
        }
        return t.atZone(zone).toEpochSecond();
    }

    // ----------------------------------------------------------------------------------------- weeks

    static final int WEEK_MONDAY_FIRST = 1;
    static final int WEEK_YEAR = 2;
    static final int WEEK_FIRST_WEEKDAY = 4;

    /**
     * MySQL's week numbering. Flags: {@link #WEEK_MONDAY_FIRST} (else Sunday starts a week),
     * {@link #WEEK_YEAR} (week 0 belongs to the previous year's last week, range 1..53), and
     * {@link #WEEK_FIRST_WEEKDAY} (week 1 is the first week containing the first weekday; otherwise the first
     * week with 4 or more days). {@code yearOut[0]} receives the year the week belongs to.
     */
    static int week(LocalDate date, int flags, int[] yearOut) {
        boolean mondayFirst = (flags & WEEK_MONDAY_FIRST) != 0;
        boolean weekYear = (flags & WEEK_YEAR) != 0;
        boolean firstWeekday = (flags & WEEK_FIRST_WEEKDAY) != 0;
        int year = date.getYear();
        long dayNr = date.toEpochDay();
        long firstDayNr = LocalDate.of(year, 1, 1).toEpochDay();
        int weekday = weekday(LocalDate.of(year, 1, 1), !mondayFirst);
        yearOut[0] = year;
        if (date.getMonthValue() == 1 && date.getDayOfMonth() <= 7 - weekday) {
            if (!weekYear && ((firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4))) {
                return 0;
            }
            weekYear = true;
            year--;
            yearOut[0] = year;
            int days = isLeap(year) ? 366 : 365;
            firstDayNr -= days;
            weekday = (weekday + 53 * 7 - days) % 7;
        }
        long days;
        if ((firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4)) {
            days = dayNr - (firstDayNr + (7 - weekday));
        } else {
            days = dayNr - (firstDayNr - weekday);
        }
        if (weekYear && days >= 52 * 7) {
            weekday = (weekday + (isLeap(year) ? 366 : 365)) % 7;
            if ((!firstWeekday && weekday < 4) || (firstWeekday && weekday == 0)) {
                yearOut[0] = year + 1;
                return 1;
            }
        }
        return (int) (days / 7 + 1);
    }

    /** 0..6 where 0 is Sunday when {@code sundayFirst}, else 0 is Monday. */
    static int weekday(LocalDate d, boolean sundayFirst) {
        int iso = d.getDayOfWeek().getValue(); // Monday=1..Sunday=7
        return sundayFirst ? iso % 7 : iso - 1;
    }
}

package io.inlet.expr;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compiled MySQL/StarRocks date format ({@code %Y-%m-%d %H:%i:%s}) for {@code date_format},
 * {@code from_unixtime}, {@code str_to_date} and {@code unix_timestamp}. Compile once (per literal format),
 * then format or parse per row. The Java-style formats StarRocks accepts ({@code yyyy-MM-dd HH:mm:ss},
 * {@code yyyy-MM-dd}, {@code yyyyMMdd}) are understood as aliases.
 *
 * <p>Specifiers: %a %b %c %D %d %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %U %u %V %v %W %w %X %x
 * %Y %y %%; any other {@code %c} stands for {@code c}.
 */
public final class MysqlDateFormat {
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
            "Sunday"};

    private final String pattern;
    /** Per part: the specifier character, or 0 for a literal. */
    private final char[] codes;
    private final String[] literals;
    private final boolean hasTime;

    private MysqlDateFormat(String pattern, char[] codes, String[] literals) {
        this.pattern = pattern;
        this.codes = codes;
        this.literals = literals;
        boolean time = false;
        for (char c : codes) {
            if ("HkhIliSsfpTr".indexOf(c) >= 0 && c != 0) {
                time = true;
            }
        }
        this.hasTime = time;
    }

    /** Compiles a format; returns null for an empty one (StarRocks returns NULL then). */
    public static MysqlDateFormat compile(String format) {
        if (format == null || format.isEmpty()) {
            return null;
        }
        String f = switch (format) {
            case "yyyy-MM-dd HH:mm:ss" -> "%Y-%m-%d %H:%i:%s";
            case "yyyy-MM-dd" -> "%Y-%m-%d";
            case "yyyyMMdd" -> "%Y%m%d";
            default -> format;
        };
        List<Character> codes = new ArrayList<>();
        List<String> lits = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c == '%' && i + 1 < f.length()) {
                char spec = f.charAt(++i);
                if ("abcDdefHhIijklMmprSsTUuVvWwXxYy".indexOf(spec) >= 0) {
                    if (lit.length() > 0) {
                        codes.add((char) 0);
                        lits.add(lit.toString());
                        lit.setLength(0);
                    }
                    codes.add(spec);
                    lits.add(null);
                } else {
                    lit.append(spec); // %% and unknown specifiers stand for the character
                }
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) {
            codes.add((char) 0);
            lits.add(lit.toString());
        }
        char[] cs = new char[codes.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = codes.get(i);
        }
        return new MysqlDateFormat(format, cs, lits.toArray(new String[0]));
    }

    public String pattern() {
        return pattern;
    }

    /** True when the format has a time-of-day field: str_to_date then returns DATETIME, else DATE. */
    public boolean hasTime() {
        return hasTime;
    }

    // ----------------------------------------------------------------------------------------- format

    public String format(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(24);
        formatTo(t, sb);
        return sb.toString();
    }

    public void formatTo(LocalDateTime t, StringBuilder sb) {
        int[] year = new int[1];
        for (int i = 0; i < codes.length; i++) {
            char c = codes[i];
            switch (c) {
                case 0 -> sb.append(literals[i]);
                case 'a' -> sb.append(DAYS[t.getDayOfWeek().getValue() - 1], 0, 3);
                case 'b' -> sb.append(MONTHS[t.getMonthValue() - 1], 0, 3);
                case 'c' -> sb.append(t.getMonthValue());
                case 'D' -> {
                    int d = t.getDayOfMonth();
                    sb.append(d);
                    if (d >= 11 && d <= 13) {
                        sb.append("th");
                    } else {
                        sb.append(switch (d % 10) {
                            case 1 -> "st";
                            case 2 -> "nd";
                            case 3 -> "rd";
                            default -> "th";
                        });
                    }
                }
                case 'd' -> pad(sb, t.getDayOfMonth(), 2);
                case 'e' -> sb.append(t.getDayOfMonth());
                case 'f' -> pad(sb, t.getNano() / 1000, 6);
                case 'H' -> pad(sb, t.getHour(), 2);
                case 'h', 'I' -> pad(sb, hour12(t.getHour()), 2);
                case 'i' -> pad(sb, t.getMinute(), 2);
                case 'j' -> pad(sb, t.getDayOfYear(), 3);
                case 'k' -> sb.append(t.getHour());
                case 'l' -> sb.append(hour12(t.getHour()));
                case 'M' -> sb.append(MONTHS[t.getMonthValue() - 1]);
                case 'm' -> pad(sb, t.getMonthValue(), 2);
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'r' -> {
                    pad(sb, hour12(t.getHour()), 2);
                    sb.append(':');
                    pad(sb, t.getMinute(), 2);
                    sb.append(':');
                    pad(sb, t.getSecond(), 2);
                    sb.append(t.getHour() < 12 ? " AM" : " PM");
                }
                case 'S', 's' -> pad(sb, t.getSecond(), 2);
                case 'T' -> {
                    pad(sb, t.getHour(), 2);
                    sb.append(':');
                    pad(sb, t.getMinute(), 2);
                    sb.append(':');
                    pad(sb, t.getSecond(), 2);
                }
                case 'U' -> pad(sb, Temporals.week(t.toLocalDate(), Temporals.WEEK_FIRST_WEEKDAY, year), 2);
                case 'u' -> pad(sb, Temporals.week(t.toLocalDate(), Temporals.WEEK_MONDAY_FIRST, year), 2);
                case 'V' -> pad(sb, Temporals.week(t.toLocalDate(),
                        Temporals.WEEK_YEAR | Temporals.WEEK_FIRST_WEEKDAY, year), 2);
                case 'v' -> pad(sb, Temporals.week(t.toLocalDate(),
                        Temporals.WEEK_YEAR | Temporals.WEEK_MONDAY_FIRST, year), 2);
                case 'W' -> sb.append(DAYS[t.getDayOfWeek().getValue() - 1]);
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'X' -> {
                    Temporals.week(t.toLocalDate(), Temporals.WEEK_YEAR | Temporals.WEEK_FIRST_WEEKDAY, year);
                    pad(sb, year[0], 4);
                }
                case 'x' -> {
                    Temporals.week(t.toLocalDate(), Temporals.WEEK_YEAR | Temporals.WEEK_MONDAY_FIRST, year);
                    pad(sb, year[0], 4);
                }
                case 'Y' -> pad(sb, t.getYear(), 4);
                case 'y' -> pad(sb, t.getYear() % 100, 2);
                default -> sb.append(c);
            }
        }
    }

    private static int hour12(int h) {
        int r = h % 12;
        return r == 0 ? 12 : r;
    }

    private static void pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    // ----------------------------------------------------------------------------------------- parse

    /**
     * Parses {@code s}: a LocalDateTime when the format has a time part, else a LocalDate; null when the text
     * does not match or is not a valid date. Numeric fields take up to their width in digits; whitespace in
     * the format matches any run of whitespace; text after the last field is ignored (as MySQL does).
     */
    public Temporal parse(String s) {
        int year = 2000;
        boolean yearSet = false;
        int month = 1;
        int day = 1;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int micros = 0;
        int dayOfYear = -1;
        boolean pm = false;
        boolean hasAmPm = false;
        int[] pos = {0};
        int n = s.length();
        while (pos[0] < n && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
        for (int i = 0; i < codes.length; i++) {
            char c = codes[i];
            int v;
            switch (c) {
                case 0 -> {
                    String lit = literals[i];
                    for (int k = 0; k < lit.length(); k++) {
                        char lc = lit.charAt(k);
                        if (Character.isWhitespace(lc)) {
                            while (pos[0] < n && Character.isWhitespace(s.charAt(pos[0]))) {
                                pos[0]++;
                            }
                        } else {
                            if (pos[0] >= n || s.charAt(pos[0]) != lc) {
                                return null;
                            }
                            pos[0]++;
                        }
                    }
                }
                case 'Y' -> {
                    int st = pos[0];
                    v = num(s, pos, 4);
                    if (v < 0) {
                        return null;
                    }
                    year = (pos[0] - st <= 2) ? twoDigitYear(v) : v;
                    yearSet = true;
                }
                case 'y' -> {
                    v = num(s, pos, 2);
                    if (v < 0) {
                        return null;
                    }
                    year = twoDigitYear(v);
                    yearSet = true;
                }
                case 'm', 'c' -> {
                    month = num(s, pos, 2);
                    if (month < 0) {
                        return null;
                    }
                }
                case 'd', 'e' -> {
                    day = num(s, pos, 2);
                    if (day < 0) {
                        return null;
                    }
                }
                case 'D' -> {
                    day = num(s, pos, 2);
                    if (day < 0) {
                        return null;
                    }
                    if (pos[0] + 2 <= n && Character.isLetter(s.charAt(pos[0]))) {
                        pos[0] += 2;
                    }
                }
                case 'H', 'k' -> {
                    hour = num(s, pos, 2);
                    if (hour < 0) {
                        return null;
                    }
                }
                case 'h', 'I', 'l' -> {
                    hour = num(s, pos, 2);
                    if (hour < 1 || hour > 12) {
                        return null;
                    }
                    hasAmPm = true;
                }
                case 'i' -> {
                    minute = num(s, pos, 2);
                    if (minute < 0) {
                        return null;
                    }
                }
                case 'S', 's' -> {
                    second = num(s, pos, 2);
                    if (second < 0) {
                        return null;
                    }
                }
                case 'f' -> {
                    int st = pos[0];
                    v = num(s, pos, 6);
                    if (v < 0) {
                        return null;
                    }
                    for (int k = pos[0] - st; k < 6; k++) {
                        v *= 10;
                    }
                    micros = v;
                }
                case 'j' -> {
                    dayOfYear = num(s, pos, 3);
                    if (dayOfYear < 1) {
                        return null;
                    }
                }
                case 'p' -> {
                    if (pos[0] + 2 > n) {
                        return null;
                    }
                    String ap = s.substring(pos[0], pos[0] + 2).toUpperCase(Locale.ROOT);
                    if (ap.equals("PM")) {
                        pm = true;
                    } else if (!ap.equals("AM")) {
                        return null;
                    }
                    pos[0] += 2;
                }
                case 'T', 'r' -> {
                    hour = num(s, pos, 2);
                    if (hour < 0 || !lit(s, pos, ':')) {
                        return null;
                    }
                    minute = num(s, pos, 2);
                    if (minute < 0 || !lit(s, pos, ':')) {
                        return null;
                    }
                    second = num(s, pos, 2);
                    if (second < 0) {
                        return null;
                    }
                    if (c == 'r') {
                        while (pos[0] < n && s.charAt(pos[0]) == ' ') {
                            pos[0]++;
                        }
                        if (pos[0] + 2 > n) {
                            return null;
                        }
                        String ap = s.substring(pos[0], pos[0] + 2).toUpperCase(Locale.ROOT);
                        if (!ap.equals("AM") && !ap.equals("PM")) {
                            return null;
                        }
                        pm = ap.equals("PM");
                        hasAmPm = true;
                        pos[0] += 2;
                    }
                }
                case 'b', 'M' -> {
                    int m = matchName(s, pos, MONTHS, c == 'b');
                    if (m < 0) {
                        return null;
                    }
                    month = m + 1;
                }
                case 'a', 'W' -> {
                    if (matchName(s, pos, DAYS, c == 'a') < 0) {
                        return null;
                    }
                }
                default -> {
                    // week numbers and weekday digits: consume the digits, they do not determine the date here
                    if (num(s, pos, c == 'X' || c == 'x' ? 4 : 2) < 0) {
                        return null;
                    }
                }
            }
        }
        if (hasAmPm) {
            if (hour == 12) {
                hour = 0;
            }
            if (pm) {
                hour += 12;
            }
        }
        if (dayOfYear > 0) {
            if (!yearSet || dayOfYear > (Temporals.isLeap(year) ? 366 : 365)) {
                return null;
            }
            LocalDate d = LocalDate.ofYearDay(year, dayOfYear);
            month = d.getMonthValue();
            day = d.getDayOfMonth();
        }
        LocalDateTime t = Temporals.of(year, month, day, hour, minute, second, micros * 1000);
        if (t == null) {
            return null;
        }
        return hasTime ? t : t.toLocalDate();
    }

    private static int twoDigitYear(int v) {
        return v < 70 ? 2000 + v : 1900 + v;
    }

    private static int num(String s, int[] pos, int max) {
        return Temporals.digits(s, pos, s.length(), 1, max);
    }

    private static boolean lit(String s, int[] pos, char c) {
        if (pos[0] < s.length() && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    private static int matchName(String s, int[] pos, String[] names, boolean abbreviated) {
        for (int k = 0; k < names.length; k++) {
            String name = abbreviated ? names[k].substring(0, 3) : names[k];
            if (s.regionMatches(true, pos[0], name, 0, name.length())) {
                pos[0] += name.length();
                return k;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return pattern;
    }
}

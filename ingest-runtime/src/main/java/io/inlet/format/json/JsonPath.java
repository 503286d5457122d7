package io.inlet.format.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed jsonpath of the subset Routine Load uses: {@code $} (the element itself), {@code $.a},
 * {@code $.a.b}, {@code $.arr[0]}, {@code $['key with space']}, {@code $["k"]}, and any chain of these.
 * Wildcards, slices, filters and recursive descent are rejected.
 */
public final class JsonPath {

    /** One step: a field name, or an array index when {@code name} is null. */
    public record Segment(String name, int index) {
        public boolean isIndex() {
            return name == null;
        }
    }

    private final String text;
    private final List<Segment> segments;

    private JsonPath(String text, List<Segment> segments) {
        this.text = text;
        this.segments = List.copyOf(segments);
    }

    public String text() {
        return text;
    }

    public List<Segment> segments() {
        return segments;
    }

    @Override
    public String toString() {
        return text;
    }

    /** @throws IllegalArgumentException with the offending path and position for unsupported syntax */
    public static JsonPath parse(String path) {
        if (path == null) {
            throw new IllegalArgumentException("jsonpath must not be null");
        }
        String p = path.strip();
        if (p.isEmpty() || p.charAt(0) != '$') {
            throw new IllegalArgumentException("jsonpath '" + path + "' must start with '$'");
        }
        List<Segment> segs = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
                    i++;
                }
                String name = p.substring(start, i);
                if (name.isEmpty()) {
                    throw bad(path, start, "empty field name ('..' recursive descent is not supported)");
                }
                if (name.equals("*")) {
                    throw bad(path, start, "wildcards are not supported");
                }
                segs.add(new Segment(name, -1));
            } else if (c == '[') {
                i++;
                if (i >= p.length()) {
                    throw bad(path, i, "unterminated '['");
                }
                char q = p.charAt(i);
                if (q == '\'' || q == '"') {
                    StringBuilder name = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < p.length()) {
                        char d = p.charAt(i);
                        if (d == '\\' && i + 1 < p.length()) {
                            name.append(p.charAt(i + 1));
                            i += 2;
                        } else if (d == q) {
                            closed = true;
                            i++;
                            break;
                        } else {
                            name.append(d);
                            i++;
                        }
                    }
                    if (!closed || i >= p.length() || p.charAt(i) != ']') {
                        throw bad(path, i, "expected a quoted name followed by ']'");
                    }
                    i++;
                    segs.add(new Segment(name.toString(), -1));
                } else {
                    int start = i;
                    while (i < p.length() && p.charAt(i) >= '0' && p.charAt(i) <= '9') {
                        i++;
                    }
                    if (i == start || i >= p.length() || p.charAt(i) != ']') {
                        throw bad(path, start, "only non-negative array indexes and quoted names are supported "
                                + "inside []");
                    }
                    int index;
                    try {
                        index = Integer.parseInt(p.substring(start, i));
                    } catch (NumberFormatException e) {
                        throw bad(path, start, "array index too large");
                    }
                    if (index > 1_000_000) {
                        throw bad(path, start, "array index too large");
                    }
                    i++;
                    segs.add(new Segment(null, index));
                }
            } else {
                throw bad(path, i, "expected '.' or '['");
            }
        }
        return new JsonPath(p, segs);
    }

    private static IllegalArgumentException bad(String path, int pos, String what) {
        return new IllegalArgumentException("unsupported jsonpath '" + path + "' at position " + pos + ": " + what);
    }
}

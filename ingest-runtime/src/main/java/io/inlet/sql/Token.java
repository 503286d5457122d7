package io.inlet.sql;

import java.util.Locale;

/** A lexical token with its 1-based position. {@code text} is the unescaped value for strings and backquoted names. */
record Token(Kind kind, String text, int line, int column, int offset, int end) {
    enum Kind { WORD, QUOTED_NAME, STRING, INTEGER, DECIMAL, DOUBLE, SYMBOL, EOF }

    boolean isWord(String w) {
        return kind == Kind.WORD && text.equalsIgnoreCase(w);
    }

    boolean isSymbol(String s) {
        return kind == Kind.SYMBOL && text.equals(s);
    }

    String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /** How the token is named in an error message. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case STRING -> "string '" + shorten(text) + "'";
            case QUOTED_NAME -> "'`" + text + "`'";
            default -> "'" + shorten(text) + "'";
        };
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}

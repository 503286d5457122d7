package io.inlet.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits statement text into tokens: words, `quoted names`, 'strings' or "strings" with backslash escapes,
 * numbers and symbols. Comments ({@code -- ...}, {@code # ...}, {@code /* ... *}{@code /}) are skipped.
 *
 * <p>Escapes: {@code \n \t \r \b \0 \Z \\ \' \"} are decoded; {@code \%} and {@code \_} keep their backslash
 * (for LIKE), and so does any other escape such as {@code \x01}, which stays the four characters
 * {@code \x01} for the CSV layer to decode. A doubled quote inside a string stands for the quote.
 */
final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.EOF, "", line, col(pos), pos, pos));
                return out;
            }
            out.add(next());
        }
    }

    private int col(int offset) {
        return offset - lineStart + 1;
    }

    private StatementException error(int l, int c, String reason) {
        return new StatementException(l, c, reason);
    }

    /** Advances over exactly one character, keeping line/column bookkeeping (\r\n counts as one break). */
    private void advance() {
        char c = src.charAt(pos++);
        if (c == '\n' || (c == '\r' && (pos >= src.length() || src.charAt(pos) != '\n'))) {
            line++;
            lineStart = pos;
        }
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                advance();
            } else if (c == '#' || (c == '-' && pos + 1 < src.length() && src.charAt(pos + 1) == '-')) {
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int l = line;
                int cc = col(pos);
                advance();
                advance();
                while (true) {
                    if (pos >= src.length()) {
                        throw error(l, cc, "unterminated comment: '/*' is never closed by '*/'");
                    }
                    if (src.charAt(pos) == '*' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                        pos += 2;
                        break;
                    }
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        int l = line;
        int c = col(pos);
        char ch = src.charAt(pos);
        if (ch == '\'' || ch == '"') {
            return string(ch, start, l, c);
        }
        if (ch == '`') {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= src.length()) {
                    throw error(l, c, "unterminated quoted name: '`' is never closed");
                }
                char x = src.charAt(pos);
                if (x == '`') {
                    if (pos + 1 < src.length() && src.charAt(pos + 1) == '`') {
                        sb.append('`');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    break;
                }
                sb.append(x);
                advance();
            }
            if (sb.length() == 0) {
                throw error(l, c, "empty quoted name ``");
            }
            return new Token(Token.Kind.QUOTED_NAME, sb.toString(), l, c, start, pos);
        }
        if (isDigit(ch) || (ch == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            return number(start, l, c);
        }
        if (Character.isLetter(ch) || ch == '_') {
            while (pos < src.length()) {
                char x = src.charAt(pos);
                if (Character.isLetterOrDigit(x) || x == '_' || x == '$') {
                    pos++;
                } else {
                    break;
                }
            }
            return new Token(Token.Kind.WORD, src.substring(start, pos), l, c, start, pos);
        }
        for (String sym : new String[] {"<=>", "<=", ">=", "<>", "!=", "==", "||", "&&"}) {
            if (src.startsWith(sym, pos)) {
                pos += sym.length();
                return new Token(Token.Kind.SYMBOL, sym, l, c, start, pos);
            }
        }
        if (ch == '\\' && pos + 1 < src.length() && (src.charAt(pos + 1) == 'G' || src.charAt(pos + 1) == 'g')) {
            pos += 2; // the MySQL client's \G ends a statement
            return new Token(Token.Kind.SYMBOL, ";", l, c, start, pos);
        }
        if ("(),;.=<>+-*/%!&|^~".indexOf(ch) >= 0) {
            pos++;
            return new Token(Token.Kind.SYMBOL, String.valueOf(ch), l, c, start, pos);
        }
        throw error(l, c, "unexpected character '" + ch + "'");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Token number(int start, int l, int c) {
        Token.Kind kind = Token.Kind.INTEGER;
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            kind = Token.Kind.DECIMAL;
            pos++;
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                kind = Token.Kind.DOUBLE;
                while (pos < src.length() && isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return new Token(kind, src.substring(start, pos), l, c, start, pos);
    }

    private Token string(char q, int start, int l, int c) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw error(l, c, "unterminated string: the quote " + q + " opened here is never closed");
            }
            char x = src.charAt(pos);
            if (x == q) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == q) {
                    sb.append(q);
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (x == '\\' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case '0' -> sb.append('\0');
                    case 'Z' -> sb.append('\u001A');
                    case '\\' -> sb.append('\\');
                    case '\'' -> sb.append('\'');
                    case '"' -> sb.append('"');
                    default -> {
                        // \%, \_ (LIKE) and anything else such as \x01 keep the backslash
                        sb.append('\\');
                        sb.append(e);
                    }
                }
                advance();
                advance();
                continue;
            }
            sb.append(x);
            advance();
        }
        return new Token(Token.Kind.STRING, sb.toString(), l, c, start, pos);
    }
}

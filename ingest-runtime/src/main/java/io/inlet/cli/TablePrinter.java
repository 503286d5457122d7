package io.inlet.cli;

import java.io.PrintStream;
import java.util.List;

/** Prints result sets as the MySQL client does: a boxed table, or one field per line (\G). */
public final class TablePrinter {

    private TablePrinter() {}

    public static void table(PrintStream out, List<String> columns, List<List<String>> rows) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
            }
        }
        StringBuilder line = new StringBuilder("+");
        for (int w : width) {
            line.append("-".repeat(w + 2)).append('+');
        }
        out.println(line);
        out.println(format(columns, width));
        out.println(line);
        for (List<String> row : rows) {
            out.println(format(row, width));
        }
        out.println(line);
        out.println(rows.size() + (rows.size() == 1 ? " row in set" : " rows in set"));
    }

    private static String format(List<String> values, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            String v = String.valueOf(values.get(i));
            sb.append(' ').append(v).append(" ".repeat(width[i] - v.length())).append(" |");
        }
        return sb.toString();
    }

    public static void vertical(PrintStream out, List<String> columns, List<List<String>> rows) {
        int label = columns.stream().mapToInt(String::length).max().orElse(0);
        for (int r = 0; r < rows.size(); r++) {
            out.println("*************************** " + (r + 1) + ". row ***************************");
            for (int i = 0; i < columns.size(); i++) {
                String c = columns.get(i);
                out.println(" ".repeat(label - c.length()) + c + ": " + rows.get(r).get(i));
            }
        }
        out.println(rows.size() + (rows.size() == 1 ? " row in set" : " rows in set"));
    }
}

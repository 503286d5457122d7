package io.inlet.infra.context;

import java.util.stream.Collectors;

/** The context keys as a Markdown table, for infra/README.md (a test keeps the README in step with the code). */
public final class ContextDocumentation {
    private ContextDocumentation() {
    }

    public static String markdownTable() {
        return "| key | default | allowed | what |\n|---|---|---|---|\n" + InletContextKeys.ALL.stream()
                .map(k -> "| `" + k.name() + "` | " + escape(k.describeDefault()) + " | " + escape(k.type().allowed())
                        + " | " + escape(k.doc()) + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}

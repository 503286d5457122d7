package io.inlet.infra.context;

import java.util.List;

/** Every problem found in the deployment's context, one precise line each; synth stops with all of them. */
public final class ContextException extends RuntimeException {
    private final List<String> problems;

    public ContextException(List<String> problems) {
        super("Invalid deployment context (cdk.context.json or -c):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    static String missing(ContextKey<?> key) {
        return "Context key " + key.name() + " is missing: found nothing; allowed: " + key.type().allowed();
    }

    static String malformed(ContextKey<?> key, Object raw, String detail) {
        return "Context key " + key.name() + " is malformed: found " + Rendering.found(raw)
                + (detail == null ? "" : " (" + detail + ")") + "; allowed: " + key.type().allowed();
    }

    static String inconsistent(ContextKey<?> key, Object found, String context, String allowed) {
        return "Context key " + key.name() + " is inconsistent: found " + Rendering.found(found) + " " + context
                + "; allowed: " + allowed;
    }

    static String unknown(String name, Object raw, String nearest) {
        return "Context key " + name + " is unknown: found " + Rendering.found(raw) + "; allowed: a declared key"
                + (nearest == null ? "" : " (did you mean " + nearest + "?)") + ", see infra/README.md";
    }
}

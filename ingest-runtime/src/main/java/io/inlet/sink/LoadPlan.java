package io.inlet.sink;

/**
 * How a job's messages reach its table: decoded and mapped by Inlet ({@code forward} false), or
 * forwarded unparsed for the warehouse to parse, map and filter (pushdown). SHOW's JobProperties
 * shows {@code description} as {@code loadPath}.
 */
public record LoadPlan(boolean forward, String description) {

    public static LoadPlan decodeInInlet(String how) {
        return new LoadPlan(false, "decode in Inlet, " + how);
    }

    public static LoadPlan pushdown(String how) {
        return new LoadPlan(true, "pushdown: " + how);
    }
}

package io.inlet.streamload;

import java.util.Locale;

/**
 * The state of the transaction bound to a label, as {@code GET /api/{db}/get_load_state?label=}
 * reports it.
 */
public enum LabelState {
    /** No transaction has this label: never used, or its retention expired. */
    UNKNOWN,
    /** Begun, data may still be arriving. */
    PREPARE,
    /** Pre-committed (StarRocks {@code PREPARED}, Doris {@code PRECOMMITTED}): waits for commit or abort. */
    PREPARED,
    /** Committed; visible once published. Cannot be aborted any more. */
    COMMITTED,
    /** Committed and visible. */
    VISIBLE,
    /** Rolled back; the label may be used again. */
    ABORTED;

    /** Parses a state name from either warehouse; {@code PRECOMMITTED} is {@link #PREPARED}. */
    public static LabelState parse(String s) {
        if (s == null || s.isBlank()) {
            return UNKNOWN;
        }
        String v = s.trim().toUpperCase(Locale.ROOT);
        switch (v) {
            case "PRECOMMITTED":
            case "PREPARED":
                return PREPARED;
            case "PREPARE":
            case "PREPARING":
            case "BEGIN":
            case "LOADING":
                return PREPARE;
            case "COMMITTED":
            case "COMMITED":
                return COMMITTED;
            case "VISIBLE":
            case "FINISHED":
                return VISIBLE;
            case "ABORTED":
            case "CANCELLED":
                return ABORTED;
            default:
                return UNKNOWN;
        }
    }

    /** The data of this label is (or will be, without further action) in the table. */
    public boolean isCommitted() {
        return this == COMMITTED || this == VISIBLE;
    }

    /** A transaction that is neither committed nor aborted: somebody must commit or abort it. */
    public boolean isPending() {
        return this == PREPARE || this == PREPARED;
    }
}

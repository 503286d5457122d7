package io.inlet.streamload;

/**
 * Which warehouse speaks the Stream Load protocol on the other end. Both share
 * {@code PUT /api/{db}/{table}/_stream_load}, labels and {@code get_load_state}; they differ in
 * how a load is made two-phase:
 * <ul>
 *   <li>{@link #STARROCKS} (and CelerData): the transaction interface
 *       {@code /api/transaction/begin|load|prepare|commit|rollback}; the CSV row delimiter header
 *       is {@code row_delimiter}.</li>
 *   <li>{@link #DORIS}: {@code two_phase_commit: true} on a Stream Load, then
 *       {@code PUT /api/{db}/_stream_load_2pc} with {@code txn_operation: commit|abort}; the CSV
 *       row delimiter header is {@code line_delimiter}, newline-delimited JSON needs
 *       {@code read_json_by_line: true}.</li>
 * </ul>
 */
public enum Flavor {
    STARROCKS,
    DORIS;

    /** {@code starrocks}, {@code celerdata} or {@code doris}, case-insensitive. */
    public static Flavor parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("warehouse type is missing: starrocks or doris");
        }
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "starrocks":
            case "celerdata":
                return STARROCKS;
            case "doris":
            case "selectdb":
                return DORIS;
            default:
                throw new IllegalArgumentException("unknown warehouse type '" + name + "': starrocks or doris");
        }
    }
}

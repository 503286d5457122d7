package io.inlet.job;

/**
 * StarRocks' error thresholds: at most max_error_number error rows within a window of
 * 10 x max_batch_rows rows, and per batch at most max_filter_ratio of the selected rows as errors.
 */
final class ErrorWindow {

    private final long windowRows;
    private long rows;
    private long errors;

    ErrorWindow(long windowRows) {
        this.windowRows = Math.max(1, windowRows);
    }

    /** Adds a batch; returns the breached threshold, or null (then the batch counts toward the window). */
    String check(long batchRows, long batchErrors, long maxErrorNumber, double maxFilterRatio, long batchUnselected) {
        long selected = batchRows - batchUnselected;
        if (batchErrors > 0 && selected > 0 && (double) batchErrors / selected > maxFilterRatio) {
            return String.format("max_filter_ratio %.4f exceeded: %d of %d rows in a batch were errors",
                    maxFilterRatio, batchErrors, selected);
        }
        if (errors + batchErrors > maxErrorNumber) {
            return "max_error_number " + maxErrorNumber + " exceeded: " + (errors + batchErrors)
                    + " error rows within the last " + (rows + batchRows) + " rows";
        }
        rows += batchRows;
        errors += batchErrors;
        if (rows >= windowRows) {
            rows = 0;
            errors = 0;
        }
        return null;
    }
}

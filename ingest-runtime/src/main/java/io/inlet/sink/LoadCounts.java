package io.inlet.sink;

/**
 * The warehouse's own count of a batch it parsed (pushdown): rows it read, loaded, filtered as
 * errors and dropped by WHERE, and where it keeps the filtered rows (null if nowhere).
 */
public record LoadCounts(long totalRows, long loadedRows, long filteredRows, long unselectedRows, String errorUrl) {}

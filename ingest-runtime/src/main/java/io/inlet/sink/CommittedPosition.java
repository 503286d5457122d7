package io.inlet.sink;

/** A partition's committed position and its cumulative row counters, as stored with the data. */
public record CommittedPosition(String partition, String position, long totalRows, long loadedRows,
                                long errorRows, long unselectedRows, long receivedBytes) {}

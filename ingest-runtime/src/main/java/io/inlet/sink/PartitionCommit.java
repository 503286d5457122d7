package io.inlet.sink;

/**
 * What one batch did to one source partition: the position to resume from after it
 * (for Kafka, the next offset to read) and the row counters it adds.
 */
public record PartitionCommit(String partition, String position, long totalRows, long loadedRows,
                              long errorRows, long unselectedRows, long receivedBytes) {}

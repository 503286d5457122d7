package io.inlet.infra.context;

/** The warehouse the ingest service loads into, as the runtime's {@code warehouse.type} names it. */
public enum WarehouseType {
    /** StarRocks or CelerData: Stream Load over the FE HTTP endpoints, table metadata over MySQL protocol. */
    STARROCKS,
    /** Apache Doris: Stream Load with two-phase commit, table metadata over MySQL protocol. */
    DORIS,
    /** PostgreSQL or Redshift over JDBC. */
    POSTGRESQL;

    /** The runtime's {@code warehouse.type}: {@code starrocks}, {@code doris} or {@code jdbc}. */
    public String runtimeType() {
        return this == POSTGRESQL ? "jdbc" : name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean streamLoad() {
        return this != POSTGRESQL;
    }
}

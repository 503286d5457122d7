package io.inlet.sink.jdbc;

import io.inlet.sink.CommittedPosition;
import io.inlet.sink.PositionStore;

import java.util.Collection;
import java.util.Map;

/** A job's positions in the warehouse's own {@code inlet_state} tables, beside its rows. */
final class JdbcPositionStore implements PositionStore {

    private final JdbcWarehouse warehouse;
    private final long jobId;

    JdbcPositionStore(JdbcWarehouse warehouse, long jobId) {
        this.warehouse = warehouse;
        this.jobId = jobId;
    }

    @Override
    public long claim(Collection<String> partitions) throws Exception {
        return warehouse.claim(jobId, partitions);
    }

    @Override
    public Map<String, CommittedPosition> positions(Collection<String> partitions) throws Exception {
        Map<String, CommittedPosition> all = warehouse.positions(jobId);
        all.keySet().retainAll(partitions);
        return all;
    }

    @Override
    public Map<String, CommittedPosition> counters(Collection<String> partitions) throws Exception {
        return positions(partitions);
    }

    @Override
    public void close() {
        // the warehouse's connection outlives the store
    }
}

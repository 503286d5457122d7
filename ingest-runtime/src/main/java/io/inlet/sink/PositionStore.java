package io.inlet.sink;

import java.util.Collection;
import java.util.Map;

/**
 * Where a job's source positions live while this runtime runs its share of the partitions: with the
 * data (the JDBC warehouses) or beside it (the job's Kafka consumer group, for Stream Load). One per
 * scheduling of a job on a replica; closed when the job stops running there.
 */
public interface PositionStore extends AutoCloseable {

    /**
     * Takes ownership of {@code partitions}' positions for this runtime, fencing every earlier owner
     * of these partitions, and returns the owner generation its sessions load under.
     */
    long claim(Collection<String> partitions) throws Exception;

    /**
     * The group generation of this runtime's member after a rebalance: stores whose writes the group
     * coordinator fences carry it from now on.
     */
    default void memberGeneration(org.apache.kafka.clients.consumer.ConsumerGroupMetadata member) {
    }

    /**
     * The committed positions of {@code partitions}. After {@link #claim} this first settles what
     * was left unfinished on them (for Stream Load: commits or aborts their pending transactions), so
     * the answer is where loading resumes; a task that retries after a failure asks again for its own
     * partitions.
     */
    Map<String, CommittedPosition> positions(Collection<String> partitions) throws Exception;

    /**
     * The partitions' positions and counters as stored, settling nothing: what any replica may read, also of
     * partitions another replica loads (SHOW's totals over the deployment).
     */
    Map<String, CommittedPosition> counters(Collection<String> partitions) throws Exception;

    /**
     * Whether the store writes the consumer group's offsets itself; otherwise the task mirrors its
     * committed offsets to the group for lag tools.
     */
    default boolean ownsGroupOffsets() {
        return false;
    }

    @Override
    void close();
}

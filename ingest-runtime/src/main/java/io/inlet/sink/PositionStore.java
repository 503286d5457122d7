package io.inlet.sink;

import java.util.Collection;
import java.util.Map;

/**
 * Where a job's source positions live while one runtime runs it: with the data (the JDBC
 * warehouses) or beside it (the job's Kafka consumer group, for Stream Load). One per scheduling
 * of a job; closed when its tasks stop.
 */
public interface PositionStore extends AutoCloseable {

    /**
     * Takes ownership of the job's positions for this runtime, fencing every earlier owner, and
     * returns the owner generation its sessions load under.
     */
    long claim(Collection<String> partitions) throws Exception;

    /**
     * The committed positions of {@code partitions}. After {@link #claim} this first settles what
     * was left unfinished on them (for Stream Load: commits or aborts their pending transactions), so
     * the answer is where loading resumes; a task that retries after a failure asks again for its own
     * partitions.
     */
    Map<String, CommittedPosition> positions(Collection<String> partitions) throws Exception;

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

package io.inlet.source.kinesis;

import java.util.Set;

/**
 * The stream has shards now that the job did not claim when it was scheduled (a split or a merge, or shards added
 * by UpdateShardCount): the batch in flight is dropped and the job claims its shards again, as a Kafka job's member
 * rejoins its group when partitions move. Nothing is lost: reading starts again from the committed positions, the
 * new shards after their parents.
 */
public final class ShardsChangedException extends RuntimeException {

    public ShardsChangedException(StreamRef stream, Set<String> unclaimed) {
        super("Kinesis stream " + stream + " has new shards " + unclaimed + " (resharded): claiming its shards again");
    }
}

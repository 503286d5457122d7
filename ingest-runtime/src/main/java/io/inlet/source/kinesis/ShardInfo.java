package io.inlet.source.kinesis;

import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;

/**
 * One shard as ListShards describes it: its parents (one after a split, two after a merge) and its sequence
 * number range; a closed shard (split or merged away) has an ending sequence number and takes no more records.
 */
public record ShardInfo(String shardId, String parentShardId, String adjacentParentShardId,
                        String startingSequenceNumber, String endingSequenceNumber) {

    static ShardInfo of(Shard s) {
        var range = s.sequenceNumberRange();
        return new ShardInfo(s.shardId(), s.parentShardId(), s.adjacentParentShardId(),
                range == null ? null : range.startingSequenceNumber(),
                range == null ? null : range.endingSequenceNumber());
    }

    public boolean closed() {
        return endingSequenceNumber != null;
    }

    /** The parent and the adjacent parent, when there are any. */
    public List<String> parentIds() {
        List<String> out = new ArrayList<>(2);
        if (parentShardId != null) {
            out.add(parentShardId);
        }
        if (adjacentParentShardId != null) {
            out.add(adjacentParentShardId);
        }
        return out;
    }
}

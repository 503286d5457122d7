package io.inlet.source.kinesis;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisServiceClientConfiguration;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.SequenceNumberRange;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ListShards page by page, as AWS pages it: neither emulator pages (moto wants the stream name repeated with
 * NextToken, which AWS refuses; kinesalite ignores MaxResults), so a client stub answers here.
 */
class KinesisShardListerTest {

    /** Answers ListShards with pages of {@code pageSize} of {@code shards}; records the requests. */
    private static final class PagingKinesis implements KinesisClient {
        final List<ListShardsRequest> requests = new ArrayList<>();
        final List<Shard> shards;

        PagingKinesis(List<Shard> shards) {
            this.shards = shards;
        }

        @Override
        public ListShardsResponse listShards(ListShardsRequest r) {
            requests.add(r);
            int from = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken());
            int to = Math.min(shards.size(), from + r.maxResults());
            return ListShardsResponse.builder().shards(shards.subList(from, to))
                    .nextToken(to < shards.size() ? Integer.toString(to) : null).build();
        }

        @Override
        public KinesisServiceClientConfiguration serviceClientConfiguration() {
            return KinesisServiceClientConfiguration.builder().region(Region.EU_WEST_1).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }

    private static Shard shard(int i, String parent, boolean closed) {
        return Shard.builder().shardId(String.format("shardId-%012d", i)).parentShardId(parent)
                .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("1")
                        .endingSequenceNumber(closed ? "9" : null).build()).build();
    }

    @Test
    void followsNextTokenWithoutRepeatingTheStream() {
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            shards.add(shard(i, i > 0 ? "shardId-000000000000" : null, i == 0));
        }
        PagingKinesis k = new PagingKinesis(shards);
        List<ShardInfo> listed = new ShardLister(k, StreamRef.of("clicks"), 3).listAll();

        assertThat(listed).extracting(ShardInfo::shardId).containsExactly(shards.stream().map(Shard::shardId)
                .toArray(String[]::new));
        assertThat(listed.get(0).closed()).isTrue();
        assertThat(listed.get(1).parentIds()).containsExactly("shardId-000000000000");
        assertThat(k.requests).hasSize(3);
        assertThat(k.requests.get(0).streamName()).isEqualTo("clicks");
        assertThat(k.requests.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.streamName()).isNull();
            assertThat(r.nextToken()).isNotNull();
        });
    }

    @Test
    void namesTheStreamByArnWhenGivenOne() {
        PagingKinesis k = new PagingKinesis(List.of(shard(0, null, false)));
        String arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";
        new ShardLister(k, StreamRef.of(arn), 1000).listAll();
        assertThat(k.requests.get(0).streamARN()).isEqualTo(arn);
        assertThat(k.requests.get(0).streamName()).isNull();
    }
}

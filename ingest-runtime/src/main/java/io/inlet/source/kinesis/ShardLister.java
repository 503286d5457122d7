package io.inlet.source.kinesis;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists every shard of a stream, open and closed, with ListShards page by page: the first request names the
 * stream, the next ones only carry NextToken (as AWS requires). No ShardFilter: the reader needs closed parents too.
 */
public final class ShardLister {
    private final KinesisClient client;
    private final StreamRef stream;
    private final int pageSize;

    public ShardLister(KinesisClient client, StreamRef stream, int pageSize) {
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("ListShards takes 1 to 10000 shards a page, not " + pageSize);
        }
        this.client = client;
        this.stream = stream;
        this.pageSize = pageSize;
    }

    /**
     * All shards, in the order ListShards gives them (parents before children).
     *
     * @throws KinesisSourceException when the stream does not exist or the credentials may not list it
     * @throws SdkException           for anything else, such as LimitExceededException (retry later)
     */
    public List<ShardInfo> listAll() {
        List<ShardInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListShardsRequest.Builder req = ListShardsRequest.builder().maxResults(pageSize);
                if (token != null) {
                    req.nextToken(token);
                } else if (stream.byArn()) {
                    req.streamARN(stream.arn());
                } else {
                    req.streamName(stream.name());
                }
                ListShardsResponse page = client.listShards(req.build());
                page.shards().forEach(s -> out.add(ShardInfo.of(s)));
                token = page.nextToken();
            } while (token != null);
        } catch (ResourceNotFoundException e) {
            throw KinesisSourceException.streamNotFound(stream, region(), "ListShards", e);
        } catch (SdkException e) {
            if (KinesisSourceException.isAccessDenied(e)) {
                throw KinesisSourceException.accessDenied(stream, region(), "ListShards", e);
            }
            throw e;
        }
        return out;
    }

    String region() {
        var r = client.serviceClientConfiguration().region();
        return r == null ? "(unknown)" : r.id();
    }
}

package io.inlet.source.kinesis;

import java.util.Map;

/**
 * The Kafka cluster where the replicas of a deployment form one consumer group per Kinesis job to share its shards
 * ({@link ShardGroupMember}): the runtime's {@code catalog.kafka.*}.
 */
public interface CoordinationCluster {

    /** A topic that exists on the cluster: members subscribe to it only to take part in the group protocol. */
    String topic() throws Exception;

    /** Client settings (brokers, security) of a consumer in group {@code groupId} named {@code clientId}. */
    Map<String, Object> consumerConfig(String groupId, String clientId) throws Exception;
}

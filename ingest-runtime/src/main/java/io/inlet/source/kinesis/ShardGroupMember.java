package io.inlet.source.kinesis;

import io.inlet.source.kafka.ConsumerThread;
import io.inlet.source.kinesis.ShardUserData.MemberView;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This runtime's member of a Kinesis job's consumer group ({@code inlet_<db>_<job>} on the coordination cluster):
 * a consumer that takes part in the group protocol only. It is subscribed to a topic of the cluster but assigned
 * none of its partitions, so it fetches nothing; its polls heartbeat and rebalance. Shards move through its
 * {@link ShardAssignor} and the {@link Listener}, on the member's thread:
 *
 * <ul>
 *   <li>before each rebalance (eager: a member joining, leaving, or dead after the session timeout, or a reshard's
 *       {@link #rejoin}) the job stops loading every shard ({@link Listener#revoked});</li>
 *   <li>after it, the job claims this member's shards and loads them ({@link Listener#assigned}).</li>
 * </ul>
 * Closing leaves the group at once, so the other members take the shards without waiting for the session timeout.
 */
public final class ShardGroupMember implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardGroupMember.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What the job does when shards move; called on the member's thread. */
    public interface Listener {
        /** A rebalance begins: stop loading every shard (the batch in flight rolls back). */
        void revoked();

        /** After a rebalance: this member's shards (maybe none); the job claims them and loads them. */
        void assigned(List<String> shards) throws Exception;

        /** The member stopped on a failure (it has left the group): the job cannot load now. */
        void failed(Exception cause);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final String groupId;
    private final Supplier<List<ShardInfo>> shards;
    private final Listener listener;
    private final ConsumerThread thread;
    /** The last shard list this member saw, told again when listing fails while it joins. */
    private volatile List<ShardInfo> seen = List.of();
    /** The shards of the last assignment, told to the leader as held (stickiness). */
    private volatile List<String> owned = List.of();
    /** An assignment the assignor got and the listener was not told yet (member thread). */
    private volatile List<String> pending;
    private volatile boolean rejoin;
    private volatile String memberId = "";
    private volatile Exception callbackFailure;

    /**
     * @param config      the cluster's client settings for this member ({@link CoordinationCluster#consumerConfig})
     * @param topic       a topic of the cluster to subscribe to ({@link CoordinationCluster#topic})
     * @param concurrency the job's desired_concurrent_number: at most this many members load shards
     * @param shards      the shards this member would claim, with their parents; listed when it joins
     */
    public ShardGroupMember(Map<String, Object> config, String topic, int concurrency,
                            Supplier<List<ShardInfo>> shards, Listener listener, String threadName) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ShardAssignor.class.getName());
        c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"); // a client-side assignor needs the classic protocol
        c.put(ShardAssignor.CONCURRENCY_CONFIG, concurrency);
        c.put(ShardAssignor.VIEW_CONFIG, (Supplier<MemberView>) this::view);
        c.put(ShardAssignor.ASSIGNED_CONFIG, (Consumer<List<String>>) a -> pending = a);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // a replica killed without leaving holds its shards this long, as a Kafka job's member holds its partitions
        c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.groupId = String.valueOf(c.get(ConsumerConfig.GROUP_ID_CONFIG));
        this.shards = shards;
        this.listener = listener;
        this.thread = new ConsumerThread(consumer, this::run, threadName);
    }

    public ShardGroupMember start() {
        thread.start();
        return this;
    }

    /** This member's id in the group, once it has joined. */
    public String memberId() {
        return memberId;
    }

    /** The shards of this member's last assignment. */
    public List<String> shards() {
        return owned;
    }

    /** Asks the group for a new assignment (a reshard: this member lists the stream again as it joins). */
    public void rejoin() {
        rejoin = true;
    }

    /** Called by the assignor while the member joins: the stream as listed now, or as last seen if listing fails. */
    private MemberView view() {
        try {
            seen = List.copyOf(shards.get());
        } catch (RuntimeException e) {
            log.warn("group {}: cannot list the stream's shards ({}); joining with the {} shards seen before", groupId,
                    e.getMessage(), seen.size());
        }
        return new MemberView(seen, java.util.Set.copyOf(owned));
    }

    private final ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            listener.revoked(); // eager: called before every rebalance, with the (empty) partitions
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            deliver();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            listener.revoked();
        }
    };

    /** Tells the listener of an assignment it has not been told of. */
    private void deliver() {
        List<String> a = pending;
        if (a == null) {
            return;
        }
        pending = null;
        owned = a;
        memberId = consumer.groupMetadata().memberId();
        try {
            listener.assigned(a);
        } catch (Exception e) {
            callbackFailure = e;
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void run() {
        Exception failure = null;
        try {
            consumer.subscribe(List.of(topic), rebalance);
            while (!thread.closed()) {
                if (rejoin) {
                    rejoin = false;
                    consumer.enforceRebalance("the stream's shards changed");
                }
                consumer.poll(POLL);
                deliver();
            }
        } catch (WakeupException e) {
            if (!thread.closed()) {
                failure = e;
            }
        } catch (Exception e) {
            failure = callbackFailure != null ? callbackFailure : e;
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                log.debug("closing the member of group {}: {}", groupId, e.toString());
            }
            if (failure != null) {
                listener.failed(failure);
            }
        }
    }

    /** Leaves the group at once; the caller stops its task first (or after: its batch is then fenced). */
    @Override
    public void close() {
        thread.close(Duration.ofSeconds(30));
    }
}

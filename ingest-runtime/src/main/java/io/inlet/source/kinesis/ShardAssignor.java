package io.inlet.source.kinesis;

import io.inlet.source.kinesis.ShardUserData.MemberView;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The assignor of a Kinesis job's consumer group: it assigns no Kafka partitions, only shards. Each member's
 * subscription carries its view of the stream ({@link ShardUserData.MemberView}); the leader spreads the shards
 * ({@link ShardSpread}) and hands each member its shards in the assignment's user data.
 *
 * <p>Eager protocol: at every rebalance each member stops loading all of its shards before it joins, so a shard is
 * never loaded by two members of one generation; the position store's claim fences a member that fell out of the
 * group without knowing it.
 */
public final class ShardAssignor implements ConsumerPartitionAssignor, Configurable {

    public static final String NAME = "inlet-kinesis-shards";
    /** Consumer config: the job's desired_concurrent_number (Integer): at most this many members get shards. */
    public static final String CONCURRENCY_CONFIG = "inlet.kinesis.concurrency";
    /** Consumer config: this member's view of the stream when it joins (Supplier of MemberView). */
    static final String VIEW_CONFIG = "inlet.kinesis.view";
    /** Consumer config: told this member's shards after each rebalance (Consumer of List of shard ids). */
    static final String ASSIGNED_CONFIG = "inlet.kinesis.assigned";

    private int concurrency = 1;
    private Supplier<MemberView> view = () -> MemberView.EMPTY;
    private Consumer<List<String>> assigned = shards -> { };

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object c = configs.get(CONCURRENCY_CONFIG);
        if (c != null) {
            concurrency = Math.max(1, Integer.parseInt(String.valueOf(c)));
        }
        if (configs.get(VIEW_CONFIG) instanceof Supplier<?> v) {
            view = (Supplier<MemberView>) v;
        }
        if (configs.get(ASSIGNED_CONFIG) instanceof Consumer<?> a) {
            assigned = (Consumer<List<String>>) a;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ShardUserData.encode(view.get());
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, MemberView> views = new TreeMap<>();
        groupSubscription.groupSubscription().forEach((member, s) ->
                views.put(member, ShardUserData.decodeView(s.userData())));
        Map<String, List<String>> shards = ShardSpread.assign(views, concurrency);
        Map<String, Assignment> out = new HashMap<>();
        shards.forEach((member, mine) -> out.put(member, new Assignment(List.of(), ShardUserData.encode(mine))));
        return new GroupAssignment(out);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        assigned.accept(ShardUserData.decodeAssignment(assignment.userData()));
    }
}

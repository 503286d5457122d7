package io.inlet.source.kafka;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The partition assignor of a job's consumer group: Kafka's cooperative-sticky assignor over the job's partitions
 * ({@code kafka_partitions}, or the whole topic), given to at most {@code desired_concurrent_number} members, and a
 * number of tasks for each member so that the job runs {@code min(desired_concurrent_number, partitions)} tasks
 * over the whole deployment. The group leader decides; each member learns its task count from its assignment's
 * user data.
 *
 * <p>Cooperative rebalancing moves a partition in two steps: its owner gives it up in one rebalance and another
 * member takes it in the next. A member left out by the cap still owns its partitions in the round that leaves it
 * out, so they are not handed to another member in that round either.
 */
public final class JobAssignor implements ConsumerPartitionAssignor, Configurable {

    public static final String NAME = "inlet-job";
    /** Consumer config: the job's desired_concurrent_number (Integer). */
    public static final String CONCURRENCY_CONFIG = "inlet.job.concurrency";
    /** Consumer config: the job's kafka_partitions (Collection of Integer), absent or empty for every partition. */
    public static final String PARTITIONS_CONFIG = "inlet.job.partitions";
    /** Consumer config: told this member's task count with each assignment (IntConsumer). */
    public static final String TASKS_LISTENER_CONFIG = "inlet.job.tasks.listener";

    private final CooperativeStickyAssignor sticky = new CooperativeStickyAssignor();
    private int concurrency = 1;
    private Set<Integer> allowed = Set.of();
    private IntConsumer tasksListener = n -> { };

    @Override
    public void configure(Map<String, ?> configs) {
        Object c = configs.get(CONCURRENCY_CONFIG);
        if (c != null) {
            concurrency = Math.max(1, Integer.parseInt(String.valueOf(c)));
        }
        if (configs.get(PARTITIONS_CONFIG) instanceof Collection<?> parts) {
            Set<Integer> s = new HashSet<>();
            parts.forEach(p -> s.add(Integer.parseInt(String.valueOf(p))));
            allowed = Set.copyOf(s);
        }
        if (configs.get(TASKS_LISTENER_CONFIG) instanceof IntConsumer l) {
            tasksListener = l;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return sticky.subscriptionUserData(topics);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        sticky.onAssignment(assignment, metadata);
        ByteBuffer data = assignment.userData();
        tasksListener.accept(data != null && data.remaining() >= 4 ? data.duplicate().getInt() : 1);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
        Map<String, List<PartitionInfo>> partitionsPerTopic = new HashMap<>();
        for (Subscription s : subscriptions.values()) {
            for (String topic : s.topics()) {
                partitionsPerTopic.computeIfAbsent(topic, t -> metadata.partitionsForTopic(t).stream()
                        .filter(p -> allowed.isEmpty() || allowed.contains(p.partition())).toList());
            }
        }
        int partitionCount = partitionsPerTopic.values().stream().mapToInt(List::size).sum();
        List<String> chosen = chooseMembers(subscriptions, Math.max(1, Math.min(concurrency, partitionCount)));
        Map<String, Subscription> chosenSubscriptions = new LinkedHashMap<>();
        chosen.forEach(m -> chosenSubscriptions.put(m, subscriptions.get(m)));
        Map<String, List<TopicPartition>> assigned = new HashMap<>(sticky.assignPartitions(partitionsPerTopic,
                chosenSubscriptions));
        // a partition that a member left out still owns is given up first; the next rebalance assigns it
        Set<TopicPartition> stillOwnedElsewhere = new HashSet<>();
        subscriptions.forEach((member, s) -> {
            if (!chosenSubscriptions.containsKey(member)) {
                stillOwnedElsewhere.addAll(s.ownedPartitions());
            }
        });
        assigned.replaceAll((member, tps) -> tps.stream().filter(tp -> !stillOwnedElsewhere.contains(tp)).toList());
        Map<String, Integer> tasks = taskCounts(assigned, Math.min(concurrency, partitionCount));
        Map<String, Assignment> out = new HashMap<>();
        for (String member : subscriptions.keySet()) {
            List<TopicPartition> tps = assigned.getOrDefault(member, List.of());
            ByteBuffer data = ByteBuffer.allocate(4).putInt(0, tasks.getOrDefault(member, tps.isEmpty() ? 0 : 1));
            out.put(member, new Assignment(tps, data));
        }
        return new GroupAssignment(out);
    }

    /** The members that get partitions: those that own some first (sticky), then in member id order. */
    static List<String> chooseMembers(Map<String, Subscription> subscriptions, int count) {
        List<String> members = new ArrayList<>(subscriptions.keySet());
        members.sort(Comparator.<String>comparingInt(m -> subscriptions.get(m).ownedPartitions().isEmpty() ? 1 : 0)
                .thenComparing(Comparator.naturalOrder()));
        return members.subList(0, Math.min(count, members.size()));
    }

    /**
     * Spreads {@code total} tasks over the members in proportion to their partitions: each member with a partition
     * runs at least one task and no more tasks than partitions.
     */
    static Map<String, Integer> taskCounts(Map<String, List<TopicPartition>> assigned, int total) {
        Map<String, Integer> tasks = new HashMap<>();
        int used = 0;
        for (Map.Entry<String, List<TopicPartition>> e : assigned.entrySet()) {
            if (!e.getValue().isEmpty()) {
                tasks.put(e.getKey(), 1);
                used++;
            }
        }
        while (used < total) {
            String best = null;
            double bestLoad = 0;
            for (Map.Entry<String, Integer> e : tasks.entrySet()) {
                int parts = assigned.get(e.getKey()).size();
                double load = (double) parts / e.getValue();
                if (e.getValue() < parts && (load > bestLoad || load == bestLoad && best != null
                        && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestLoad = load;
                }
            }
            if (best == null) {
                break;
            }
            tasks.merge(best, 1, Integer::sum);
            used++;
        }
        return tasks;
    }
}

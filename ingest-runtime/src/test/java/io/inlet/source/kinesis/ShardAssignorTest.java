package io.inlet.source.kinesis;

import io.inlet.source.kinesis.ShardUserData.MemberView;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** How the leader of a Kinesis job's group spreads shards: lineage together, evenly, capped, sticky. */
class ShardAssignorTest {

    static ShardInfo open(String id, String... parents) {
        return new ShardInfo(id, parents.length > 0 ? parents[0] : null, parents.length > 1 ? parents[1] : null,
                "1", null);
    }

    static ShardInfo closed(String id, String... parents) {
        return new ShardInfo(id, parents.length > 0 ? parents[0] : null, parents.length > 1 ? parents[1] : null,
                "1", "99");
    }

    static List<ShardInfo> shards(int n) {
        List<ShardInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(open("s" + i));
        }
        return out;
    }

    static MemberView sees(List<ShardInfo> shards, String... owned) {
        return new MemberView(shards, Set.of(owned));
    }

    static Map<String, MemberView> members(Object... memberThenView) {
        Map<String, MemberView> out = new LinkedHashMap<>();
        for (int i = 0; i < memberThenView.length; i += 2) {
            out.put((String) memberThenView[i], (MemberView) memberThenView[i + 1]);
        }
        return out;
    }

    static void assertDisjointAndComplete(Map<String, List<String>> assigned, Set<String> all) {
        Set<String> seen = new HashSet<>();
        assigned.values().forEach(l -> l.forEach(s -> assertThat(seen.add(s)).as("shard " + s + " once").isTrue()));
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void fourShardsOverTwoMembersGoTwoEachWithoutOverlap() {
        Map<String, List<String>> a = ShardSpread.assign(members("m-a", sees(shards(4)), "m-b", sees(shards(4))), 3);
        assertThat(a.get("m-a")).hasSize(2);
        assertThat(a.get("m-b")).hasSize(2);
        assertDisjointAndComplete(a, Set.of("s0", "s1", "s2", "s3"));
    }

    @Test
    void shardsSpreadEvenlyOverMoreMembers() {
        List<ShardInfo> eight = shards(8);
        Map<String, List<String>> a = ShardSpread.assign(members("a", sees(eight), "b", sees(eight), "c", sees(eight)),
                8);
        assertThat(a.values()).extracting(List::size).containsExactlyInAnyOrder(3, 3, 2);
        assertDisjointAndComplete(a, new HashSet<>(eight.stream().map(ShardInfo::shardId).toList()));
    }

    @Test
    void aParentAndItsChildrenGoToOneMember() {
        // s0 split into s4 and s5; s1 and s2 merged into s6; s3 untouched
        List<ShardInfo> stream = List.of(closed("s0"), closed("s1"), closed("s2"), open("s3"), open("s4", "s0"),
                open("s5", "s0"), open("s6", "s1", "s2"));
        Map<String, List<String>> a = ShardSpread.assign(members("a", sees(stream), "b", sees(stream),
                "c", sees(stream)), 3);
        assertDisjointAndComplete(a, Set.of("s0", "s1", "s2", "s3", "s4", "s5", "s6"));
        assertThat(a.values()).anySatisfy(l -> assertThat(l).containsExactly("s0", "s4", "s5"));
        assertThat(a.values()).anySatisfy(l -> assertThat(l).containsExactly("s1", "s2", "s6"));
        assertThat(a.values()).anySatisfy(l -> assertThat(l).containsExactly("s3"));
    }

    @Test
    void aMemberThatSawTheReshardBringsTheChildrenIn() {
        List<ShardInfo> before = List.of(open("s0"), open("s1"));
        List<ShardInfo> after = List.of(closed("s0"), open("s1"), open("s2", "s0"), open("s3", "s0"));
        Map<String, List<String>> a = ShardSpread.assign(members("a", sees(before, "s1"), "b", sees(after, "s0")), 2);
        assertThat(a.get("b")).containsExactly("s0", "s2", "s3");
        assertThat(a.get("a")).containsExactly("s1");
    }

    @Test
    void atMostDesiredConcurrentNumberMembersGetShards() {
        List<ShardInfo> four = shards(4);
        Map<String, List<String>> a = ShardSpread.assign(members("a", sees(four), "b", sees(four), "c", sees(four)), 2);
        assertThat(a.values().stream().filter(l -> !l.isEmpty()).count()).isEqualTo(2);
        assertDisjointAndComplete(a, Set.of("s0", "s1", "s2", "s3"));

        Map<String, List<String>> one = ShardSpread.assign(members("a", sees(four), "b", sees(four)), 1);
        assertThat(one.get("a")).hasSize(4);
        assertThat(one.get("b")).isEmpty();
    }

    @Test
    void theCapKeepsTheMembersThatHeldShards() {
        List<ShardInfo> four = shards(4);
        Map<String, List<String>> a = ShardSpread.assign(members("a", sees(four), "b", sees(four),
                "c", sees(four, "s0", "s1", "s2", "s3")), 1);
        assertThat(a.get("c")).containsExactly("s0", "s1", "s2", "s3");
    }

    @Test
    void shardsStayWithTheMembersThatHeldThem() {
        List<ShardInfo> four = shards(4);
        Map<String, List<String>> same = ShardSpread.assign(members("a", sees(four, "s1", "s3"),
                "b", sees(four, "s0", "s2")), 4);
        assertThat(same.get("a")).containsExactly("s1", "s3");
        assertThat(same.get("b")).containsExactly("s0", "s2");

        // a third member joins: it takes one shard, the others keep what they can
        Map<String, List<String>> three = ShardSpread.assign(members("a", sees(four, "s1", "s3"),
                "b", sees(four, "s0", "s2"), "c", sees(four)), 4);
        assertThat(three.get("c")).hasSize(1);
        assertThat(three.get("a").size() + three.get("b").size()).isEqualTo(3);
        assertThat(List.of("s1", "s3")).containsAll(three.get("a"));
        assertThat(List.of("s0", "s2")).containsAll(three.get("b"));

        // a member leaves: the one left keeps its shards and takes the others
        Map<String, List<String>> left = ShardSpread.assign(members("b", sees(four, "s0", "s2")), 4);
        assertThat(left.get("b")).containsExactly("s0", "s1", "s2", "s3");
    }

    @Test
    void theAssignorCarriesViewsAndShardsInTheProtocolsUserData() {
        List<ShardInfo> stream = List.of(closed("s0"), open("s1", "s0"), open("s2", "s0"), open("s3"));
        ShardAssignor leader = assignor(sees(stream, "s3"), new AtomicReference<>());
        ShardAssignor other = assignor(sees(stream), new AtomicReference<>());
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        subscriptions.put("m-1", new Subscription(List.of("_inlet_jobs"), leader.subscriptionUserData(Set.of())));
        subscriptions.put("m-2", new Subscription(List.of("_inlet_jobs"), other.subscriptionUserData(Set.of())));

        GroupAssignment ga = leader.assign(Cluster.empty(), new GroupSubscription(subscriptions));

        assertThat(ga.groupAssignment().values()).allSatisfy(a -> assertThat(a.partitions()).isEmpty());
        AtomicReference<List<String>> toldM1 = new AtomicReference<>();
        assignor(sees(stream), toldM1).onAssignment(ga.groupAssignment().get("m-1"),
                new ConsumerGroupMetadata("g"));
        AtomicReference<List<String>> toldM2 = new AtomicReference<>();
        assignor(sees(stream), toldM2).onAssignment(ga.groupAssignment().get("m-2"), new ConsumerGroupMetadata("g"));
        assertThat(toldM1.get()).containsExactly("s3");
        assertThat(toldM2.get()).containsExactly("s0", "s1", "s2");
    }

    @Test
    void aMemberWithoutUserDataGetsNoShardsButCounts() {
        ShardAssignor leader = assignor(sees(shards(2)), new AtomicReference<>());
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        subscriptions.put("m-1", new Subscription(List.of("t"), leader.subscriptionUserData(Set.of())));
        subscriptions.put("m-2", new Subscription(List.of("t"), null));
        GroupAssignment ga = leader.assign(Cluster.empty(), new GroupSubscription(subscriptions));
        List<String> m1 = ShardUserData.decodeAssignment(ga.groupAssignment().get("m-1").userData());
        List<String> m2 = ShardUserData.decodeAssignment(ga.groupAssignment().get("m-2").userData());
        assertThat(m1.size() + m2.size()).isEqualTo(2);
        assertThat(ShardUserData.decodeAssignment(new Assignment(List.of()).userData())).isEmpty();
    }

    private static ShardAssignor assignor(MemberView view, AtomicReference<List<String>> told) {
        ShardAssignor a = new ShardAssignor();
        a.configure(Map.of(ShardAssignor.CONCURRENCY_CONFIG, 4,
                ShardAssignor.VIEW_CONFIG, (Supplier<MemberView>) () -> view,
                ShardAssignor.ASSIGNED_CONFIG, (Consumer<List<String>>) told::set));
        return a;
    }
}

package io.inlet.source.kinesis;

import io.inlet.source.kinesis.ShardUserData.MemberView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the leader of a Kinesis job's group spreads the stream's shards over the members ({@link ShardAssignor}):
 *
 * <ul>
 *   <li>a shard and its parents and children (the lineage of splits and merges) form a family that goes to one
 *       member, so that a parent is read to its end before its children on the same reader;</li>
 *   <li>families are spread evenly by weight (their open shards; a family of closed shards only weighs 1), over at
 *       most {@code desired_concurrent_number} members, those that held shards first;</li>
 *   <li>a family stays with the member that held most of it while that member is within its even share (sticky).</li>
 * </ul>
 * The shards are the union of what the members see: a member that listed the stream after a reshard brings the new
 * shards in.
 */
public final class ShardSpread {

    private ShardSpread() {
    }

    /** A family of shards that goes to one member, and what it weighs. */
    record Family(List<String> shards, int weight) {}

    /** Member id → the shards it loads (every member is in the answer, those without shards with an empty list). */
    static Map<String, List<String>> assign(Map<String, MemberView> members, int concurrency) {
        Map<String, List<String>> out = new TreeMap<>();
        members.keySet().forEach(m -> out.put(m, new ArrayList<>()));
        List<Family> families = families(members);
        if (families.isEmpty() || members.isEmpty()) {
            return out;
        }
        Map<String, Integer> held = new HashMap<>();
        members.forEach((m, v) -> held.put(m, v.owned().size()));
        List<String> chosen = new ArrayList<>(members.keySet());
        chosen.sort(Comparator.<String>comparingInt(m -> held.get(m) > 0 ? 0 : 1).thenComparing(Comparator.naturalOrder()));
        chosen = chosen.subList(0, Math.min(chosen.size(), Math.max(1, Math.min(concurrency, families.size()))));

        int total = families.stream().mapToInt(Family::weight).sum();
        int base = total / chosen.size();
        int roomAbove = total % chosen.size(); // members that may carry one more than the base
        Map<String, Integer> load = new HashMap<>();
        chosen.forEach(m -> load.put(m, 0));
        List<Family> left = new ArrayList<>(families);

        // sticky: each member, those that held most first, keeps what it held up to its even share
        List<String> byHeld = new ArrayList<>(chosen);
        byHeld.sort(Comparator.<String>comparingInt(m -> -held.get(m)).thenComparing(Comparator.naturalOrder()));
        for (String m : byHeld) {
            int cap = base + (roomAbove > 0 ? 1 : 0);
            for (Family f : families) {
                if (left.contains(f) && ownerOf(f, members, chosen).equals(m) && load.get(m) + f.weight() <= cap) {
                    out.get(m).addAll(f.shards());
                    load.merge(m, f.weight(), Integer::sum);
                    left.remove(f);
                }
            }
            if (load.get(m) > base) {
                roomAbove--;
            }
        }
        // the rest, heaviest first, to the least loaded member
        for (Family f : left) {
            String least = chosen.stream().min(Comparator.<String>comparingInt(load::get)
                    .thenComparing(Comparator.naturalOrder())).orElseThrow();
            out.get(least).addAll(f.shards());
            load.merge(least, f.weight(), Integer::sum);
        }
        out.values().forEach(l -> l.sort(Comparator.naturalOrder()));
        return out;
    }

    /** The chosen member that held most of the family's shards; "" when none did. */
    private static String ownerOf(Family f, Map<String, MemberView> members, List<String> chosen) {
        String best = "";
        long bestCount = 0;
        for (String m : chosen) {
            long c = f.shards().stream().filter(members.get(m).owned()::contains).count();
            if (c > bestCount) {
                best = m;
                bestCount = c;
            }
        }
        return best;
    }

    /**
     * The union of the members' shards, grouped into families by their lineage; heaviest first, then by their first
     * shard.
     */
    static List<Family> families(Map<String, MemberView> members) {
        Map<String, ShardInfo> shards = new TreeMap<>();
        for (MemberView v : members.values()) {
            for (ShardInfo s : v.shards()) {
                ShardInfo known = shards.get(s.shardId());
                if (known == null || !known.closed() && s.closed()) {
                    shards.put(s.shardId(), s); // a member that saw the shard closed saw it later
                }
            }
        }
        Map<String, String> root = new HashMap<>();
        shards.keySet().forEach(id -> root.put(id, id));
        for (ShardInfo s : shards.values()) {
            for (String parent : s.parentIds()) {
                if (shards.containsKey(parent)) {
                    union(root, s.shardId(), parent);
                }
            }
        }
        Map<String, TreeSet<String>> byRoot = new LinkedHashMap<>();
        for (String id : shards.keySet()) {
            byRoot.computeIfAbsent(find(root, id), r -> new TreeSet<>()).add(id);
        }
        List<Family> out = new ArrayList<>();
        for (TreeSet<String> ids : byRoot.values()) {
            int open = (int) ids.stream().filter(id -> !shards.get(id).closed()).count();
            out.add(new Family(List.copyOf(ids), Math.max(1, open)));
        }
        out.sort(Comparator.comparingInt((Family f) -> -f.weight()).thenComparing(f -> f.shards().get(0)));
        return out;
    }

    private static String find(Map<String, String> root, String id) {
        String r = id;
        while (!root.get(r).equals(r)) {
            r = root.get(r);
        }
        root.put(id, r);
        return r;
    }

    private static void union(Map<String, String> root, String a, String b) {
        String ra = find(root, a);
        String rb = find(root, b);
        if (!ra.equals(rb)) {
            if (ra.compareTo(rb) < 0) {
                root.put(rb, ra);
            } else {
                root.put(ra, rb);
            }
        }
    }
}

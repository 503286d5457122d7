package io.inlet.sink.streamload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The label of a batch, from what the batch is: the job's consumer group and topic, and where each
 * of the task's partitions starts (with the partition's epoch, which changes when its offsets are
 * reset, so that reloading a range after a reset is a new load and not "already loaded"). The same
 * batch start always gives the same label; labels fit StarRocks' and Doris' rules
 * ({@code [-_A-Za-z0-9:]}, at most 128 characters).
 */
final class BatchLabels {

    private BatchLabels() {}

    /** @param starts partition → start offset; @param epochs partition → epoch */
    static String of(String groupId, String topic, Map<String, String> starts, Map<String, Long> epochs) {
        StringBuilder key = new StringBuilder(topic);
        Map<Integer, String> sorted = new TreeMap<>();
        starts.forEach((p, o) -> sorted.put(Integer.parseInt(p), o));
        sorted.forEach((p, o) -> key.append('|').append(p).append(':').append(epochs.getOrDefault(String.valueOf(p), 0L))
                .append(':').append(o));
        Map.Entry<Integer, String> first = sorted.entrySet().iterator().next();
        String group = groupId.replaceAll("[^-_A-Za-z0-9]", "_");
        if (group.length() > 64) {
            group = group.substring(0, 64);
        }
        return "inlet_" + group + "_p" + first.getKey() + "_" + first.getValue() + "_" + digest(key.toString());
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

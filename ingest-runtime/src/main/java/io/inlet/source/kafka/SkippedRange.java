package io.inlet.source.kafka;

/**
 * Offsets {@code from} (the job's position) to {@code to} (where it goes on) of a partition, which the job
 * skips by its out-of-range policy; {@code to} may lie below {@code from} when the topic was created again.
 */
public record SkippedRange(String topic, int partition, long from, long to, long earliest, long latest) {

    public String describe() {
        return "partition " + partition + " of topic " + topic + ": offset " + from + " is out of range (earliest "
                + earliest + ", latest " + latest + "); the job goes on from offset " + to
                + (to > from ? ", skipping " + (to - from) + " messages that retention removed or the job had not read"
                        : "");
    }
}

package io.inlet.source.kafka;

import java.util.Locale;

/**
 * What a job does when its position in a partition is out of range: retention (or a topic deleted and
 * created again) removed messages the job had not loaded. {@code property.kafka_out_of_range_offsets}.
 */
public enum OutOfRangePolicy {
    /** The job pauses and names the partition, its position and the offsets available (the default). */
    PAUSE,
    /** The job goes on from the earliest offset available; the skipped range is logged and shown. */
    OFFSET_BEGINNING,
    /** The job goes on from the latest offset; the skipped range is logged and shown. */
    OFFSET_END;

    public static OutOfRangePolicy of(String value) {
        return value == null ? PAUSE : valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}

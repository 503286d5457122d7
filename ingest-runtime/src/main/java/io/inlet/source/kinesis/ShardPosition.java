package io.inlet.source.kinesis;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where reading a shard starts (or resumes): the five shard iterator types of GetShardIterator, and
 * {@link Kind#SHARD_END} for a closed shard that has been read to its end (nothing more to read; its children may
 * be read). A job stores these per shard as its progress: {@link #toString()} and {@link #parse} round-trip.
 */
public record ShardPosition(Kind kind, String sequenceNumber, Instant timestamp) {

    public enum Kind { TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP, SHARD_END }

    private static final DateTimeFormatter STATEMENT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    public ShardPosition {
        Objects.requireNonNull(kind, "kind");
        boolean sequence = kind == Kind.AT_SEQUENCE_NUMBER || kind == Kind.AFTER_SEQUENCE_NUMBER;
        if (sequence != (sequenceNumber != null)) {
            throw new IllegalArgumentException(kind + " needs a sequence number and only it has one");
        }
        if ((kind == Kind.AT_TIMESTAMP) != (timestamp != null)) {
            throw new IllegalArgumentException(kind + " needs a timestamp and only it has one");
        }
        if (sequence && (sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(Character::isDigit))) {
            throw new IllegalArgumentException("a sequence number is decimal digits, not '" + sequenceNumber + "'");
        }
    }

    public static ShardPosition trimHorizon() {
        return new ShardPosition(Kind.TRIM_HORIZON, null, null);
    }

    public static ShardPosition latest() {
        return new ShardPosition(Kind.LATEST, null, null);
    }

    public static ShardPosition shardEnd() {
        return new ShardPosition(Kind.SHARD_END, null, null);
    }

    public static ShardPosition atSequence(String sequenceNumber) {
        return new ShardPosition(Kind.AT_SEQUENCE_NUMBER, sequenceNumber, null);
    }

    public static ShardPosition afterSequence(String sequenceNumber) {
        return new ShardPosition(Kind.AFTER_SEQUENCE_NUMBER, sequenceNumber, null);
    }

    public static ShardPosition atTimestamp(Instant timestamp) {
        return new ShardPosition(Kind.AT_TIMESTAMP, null, timestamp);
    }

    /**
     * A position as FROM KINESIS writes it ({@code kinesis_shards_pos}, {@code property.kinesis_default_pos}):
     * TRIM_HORIZON, LATEST (any case), a sequence number (read AT it, as a Kafka offset is), a time
     * {@code yyyy-MM-dd HH:mm:ss} in {@code zone} (read AT_TIMESTAMP); or this class's own {@link #toString()}
     * form, as stored in a job's progress.
     */
    public static ShardPosition parse(String text, ZoneId zone) {
        String t = text.trim();
        String u = t.toUpperCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (u.equals(k.name()) && k != Kind.AT_SEQUENCE_NUMBER && k != Kind.AFTER_SEQUENCE_NUMBER
                    && k != Kind.AT_TIMESTAMP) {
                return new ShardPosition(k, null, null);
            }
            if (u.startsWith(k.name() + " ")) {
                String arg = t.substring(k.name().length() + 1).trim();
                return k == Kind.AT_TIMESTAMP ? atTimestamp(Instant.parse(arg)) : new ShardPosition(k, arg, null);
            }
        }
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return atSequence(t);
        }
        try {
            return atTimestamp(LocalDateTime.parse(t, STATEMENT_TIME).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected TRIM_HORIZON, LATEST, a sequence number or a time "
                    + "'yyyy-MM-dd HH:mm:ss', not '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER -> kind + " " + sequenceNumber;
            case AT_TIMESTAMP -> kind + " " + timestamp;
            default -> kind.name();
        };
    }
}

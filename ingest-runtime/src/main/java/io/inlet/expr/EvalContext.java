package io.inlet.expr;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The job's time zone (the {@code timezone} property), the clock for {@code now()} and the message the row
 * came from, for the Kafka metadata functions ({@code kafka_key()}, ...).
 */
public record EvalContext(ZoneId timezone, Clock clock, CurrentMessage message) {
    public EvalContext {
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(message, "message");
    }

    /** A context whose Kafka metadata functions yield NULL until something sets its current message. */
    public EvalContext(ZoneId timezone, Clock clock) {
        this(timezone, clock, new CurrentMessage());
    }

    public static EvalContext of(ZoneId timezone) {
        return new EvalContext(timezone, Clock.systemUTC());
    }

    public static EvalContext utc() {
        return of(ZoneOffset.UTC);
    }
}

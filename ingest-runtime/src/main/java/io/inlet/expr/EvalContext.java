package io.inlet.expr;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** The job's time zone (the {@code timezone} property) and the clock for {@code now()}. */
public record EvalContext(ZoneId timezone, Clock clock) {
    public EvalContext {
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(clock, "clock");
    }

    public static EvalContext of(ZoneId timezone) {
        return new EvalContext(timezone, Clock.systemUTC());
    }

    public static EvalContext utc() {
        return of(ZoneOffset.UTC);
    }
}

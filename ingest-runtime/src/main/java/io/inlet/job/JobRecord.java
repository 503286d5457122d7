package io.inlet.job;

import java.time.Instant;

/** A job as the catalog persists it: its definition (the CREATE statement, ALTERs applied) and lifecycle. */
public record JobRecord(long id, String db, String name, String statement, JobState state, String reason,
                        Instant createTime, Instant pauseTime, Instant endTime) {

    public JobRecord withState(JobState newState, String newReason, Instant pause, Instant end) {
        return new JobRecord(id, db, name, statement, newState, newReason, createTime, pause, end);
    }

    public JobRecord withStatement(String newStatement) {
        return new JobRecord(id, db, name, newStatement, state, reason, createTime, pauseTime, endTime);
    }
}

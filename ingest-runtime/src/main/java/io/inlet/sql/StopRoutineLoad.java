package io.inlet.sql;

/** {@code STOP ROUTINE LOAD FOR [db.]job}. */
public record StopRoutineLoad(JobRef job) implements Statement {
    @Override
    public String toSql() {
        return "STOP ROUTINE LOAD FOR " + job.toSql();
    }
}

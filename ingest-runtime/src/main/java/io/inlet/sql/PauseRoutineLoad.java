package io.inlet.sql;

/** {@code PAUSE ROUTINE LOAD FOR [db.]job} or {@code PAUSE ALL ROUTINE LOAD} ({@code job} null, {@code all} true). */
public record PauseRoutineLoad(JobRef job, boolean all) implements Statement {
    @Override
    public String toSql() {
        return all ? "PAUSE ALL ROUTINE LOAD" : "PAUSE ROUTINE LOAD FOR " + job.toSql();
    }
}

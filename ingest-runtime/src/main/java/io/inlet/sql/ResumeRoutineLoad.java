package io.inlet.sql;

/** {@code RESUME ROUTINE LOAD FOR [db.]job} or {@code RESUME ALL ROUTINE LOAD} ({@code job} null, {@code all} true). */
public record ResumeRoutineLoad(JobRef job, boolean all) implements Statement {
    @Override
    public String toSql() {
        return all ? "RESUME ALL ROUTINE LOAD" : "RESUME ROUTINE LOAD FOR " + job.toSql();
    }
}

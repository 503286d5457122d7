package io.inlet.sql;

import io.inlet.expr.SqlText;

/**
 * {@code SHOW ROUTINE LOAD TASK [FROM db] WHERE JobName = "job"}. {@code job} carries the name from the WHERE
 * clause and {@code dbFrom} as its database, so {@code job.qualified(currentDb)} names the job.
 */
public record ShowRoutineLoadTask(JobRef job, String dbFrom) implements Statement {
    @Override
    public String toSql() {
        return "SHOW ROUTINE LOAD TASK" + (dbFrom == null ? "" : " FROM " + SqlText.ident(dbFrom))
                + " WHERE JobName = " + SqlText.quote(job.name(), '"');
    }
}

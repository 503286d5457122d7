package io.inlet.sql;

import io.inlet.expr.SqlText;

/**
 * {@code SHOW [ALL] ROUTINE LOAD [FOR [db.]job] [FROM db] [WHERE State = "RUNNING"] [ORDER BY field [ASC|DESC]]
 * [LIMIT [offset,] n | LIMIT n OFFSET m]}. Beyond the contract's three components it carries StarRocks'
 * optional filter, order and limit: {@code state} (upper case, null = any), {@code orderBy} (a SHOW ROUTINE
 * LOAD column name, null = by Id), {@code descending}, {@code limit} (-1 = none) and {@code offset}.
 */
public record ShowRoutineLoad(JobRef job, boolean all, String dbFrom, String state, String orderBy,
                              boolean descending, long limit, long offset) implements Statement {

    public ShowRoutineLoad(JobRef job, boolean all, String dbFrom) {
        this(job, all, dbFrom, null, null, false, -1, 0);
    }

    @Override
    public String toSql() {
        StringBuilder sb = new StringBuilder(all ? "SHOW ALL ROUTINE LOAD" : "SHOW ROUTINE LOAD");
        if (job != null) {
            sb.append(" FOR ").append(job.toSql());
        }
        if (dbFrom != null) {
            sb.append(" FROM ").append(SqlText.ident(dbFrom));
        }
        if (state != null) {
            sb.append(" WHERE State = ").append(SqlText.quote(state, '"'));
        }
        if (orderBy != null) {
            sb.append(" ORDER BY ").append(orderBy).append(descending ? " DESC" : " ASC");
        }
        if (limit >= 0) {
            sb.append(" LIMIT ").append(limit);
            if (offset > 0) {
                sb.append(" OFFSET ").append(offset);
            }
        }
        return sb.toString();
    }
}

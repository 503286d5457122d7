package io.inlet.sql;

/** A Routine Load statement. {@link #toSql()} renders canonical text that parses back to an equal statement. */
public sealed interface Statement permits CreateRoutineLoad, AlterRoutineLoad, PauseRoutineLoad, ResumeRoutineLoad,
        StopRoutineLoad, ShowRoutineLoad, ShowRoutineLoadTask {

    String toSql();

    /** The statement with secret property values shown as {@code ******} (for logs and SHOW). */
    default String toSqlMasked() {
        return toSql();
    }
}

/**
 * The Routine Load statements of StarRocks and Doris: {@link io.inlet.sql.SqlParser} parses CREATE / ALTER /
 * PAUSE / RESUME / STOP / SHOW ROUTINE LOAD [TASK] into {@link io.inlet.sql.Statement} records, validating
 * properties against {@link io.inlet.sql.JobPropertyDefs}, {@link io.inlet.sql.KafkaPropertyDefs} and
 * {@link io.inlet.sql.KinesisPropertyDefs}. {@link io.inlet.sql.JobProperties} and
 * {@link io.inlet.sql.KafkaSourceProperties} are the typed views the runtime reads. Jobs persist as
 * {@link io.inlet.sql.CreateRoutineLoad#toSql()}; show them with {@code toSqlMasked()}.
 */
package io.inlet.sql;

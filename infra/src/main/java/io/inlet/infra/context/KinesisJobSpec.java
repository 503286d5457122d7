package io.inlet.infra.context;

import java.util.Optional;

/**
 * A routine-load job of the deployment's Kinesis stream, rendered into a {@code CREATE ROUTINE LOAD ... FROM KINESIS}
 * statement from {@code templates/jobs.sql.mustache}.
 *
 * @param name    {@code db.job}
 * @param columns the COLUMNS list, e.g. {@code event_time, ticker, price}
 */
public record KinesisJobSpec(String name, String table, JobFormat format, Optional<String> columns) {

    /**
     * The consumer group in which the job's replicas share its shards, {@code inlet_<db>_<job>}, as the runtime's
     * {@code RoutineLoadJob.groupId()} names it.
     */
    public String consumerGroup() {
        int dot = name.indexOf('.');
        return "inlet_" + name.substring(0, dot) + "_" + name.substring(dot + 1);
    }
}

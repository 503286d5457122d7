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
}

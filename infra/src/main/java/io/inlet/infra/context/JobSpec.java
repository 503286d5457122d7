package io.inlet.infra.context;

import java.util.Optional;

/**
 * A routine-load job of the deployment, rendered into a {@code CREATE ROUTINE LOAD} statement from
 * {@code templates/jobs.sql.mustache}.
 *
 * @param name    {@code db.job}
 * @param columns the COLUMNS list, e.g. {@code userid, dt=from_unixtime(registertime/1000)}
 */
public record JobSpec(String name, String table, String topic, String group, JobFormat format,
                      Optional<String> columns) {
}

package io.inlet.sink;

import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.JobProperties;

import java.util.List;

/**
 * What a load session is opened for: one task of a job, its partitions, the target table, the
 * owner generation it loads under and the store that holds its positions.
 */
public record SessionSpec(long jobId, String jobName, long generation, TableSchema table, CreateRoutineLoad statement,
                          JobProperties properties, LoadPlan plan, PositionStore positions, List<String> partitions) {

    public SessionSpec {
        partitions = List.copyOf(partitions);
    }
}

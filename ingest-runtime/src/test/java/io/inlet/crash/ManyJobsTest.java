package io.inlet.crash;

import io.inlet.bench.ManyJobsRun;
import io.inlet.bench.ManyJobsRun.Result;
import io.inlet.bench.ManyJobsRun.Target;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Many jobs on one replica (issue 17), behind its own command: skipped unless {@code -Dinlet.scale.jobs=N} is set
 * (README: {@code mvn -pl ingest-runtime test -Dtest=ManyJobsTest -Dinlet.scale.jobs=500}). N jobs of
 * {@value ManyJobsRun#PARTITIONS} partitions and {@value ManyJobsRun#MESSAGES} messages each, one {@code inlet run}
 * with the launcher's JVM options, load every row exactly once, holding at most {@code inlet.scale.max-connections}
 * (10, the default of {@code warehouse.max-connections}) warehouse connections and at most 768 MB of RSS. Nothing is
 * asserted on time or CPU; the limit ({@code inlet.scale.limit-minutes}, 15) only stops a broken run.
 */
class ManyJobsTest {

    private static final int JOBS = Integer.getInteger("inlet.scale.jobs", 0);
    private static final int MAX_CONNECTIONS = Integer.getInteger("inlet.scale.max-connections", 10);
    private static final Duration LIMIT = Duration.ofMinutes(Integer.getInteger("inlet.scale.limit-minutes", 15));
    private static final long MAX_RSS = 768L << 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest
    @EnumSource(Target.class)
    void manyJobsLoadEveryRowOnceWithBoundedConnectionsAndMemory(Target target) throws Exception {
        assumeTrue(JOBS > 0, "the scale test runs with -Dinlet.scale.jobs=N");
        Result r = ManyJobsRun.run(target, JOBS, LIMIT, false, dir);
        System.out.println(r);
        assertThat(r.failure()).as("%d jobs into %s; runtime log %s", JOBS, target, r.logFile()).isNull();
        assertThat(r.notExactlyOnce()).as("tables not holding each of their %d rows exactly once; runtime log %s",
                ManyJobsRun.MESSAGES, r.logFile()).isEmpty();
        assertThat(r.peakConnections()).as("peak warehouse connections (%s); runtime log %s", target, r.logFile())
                .isLessThanOrEqualTo(MAX_CONNECTIONS);
        assertThat(r.peakRssBytes()).as("peak RSS (VmHWM) of the runtime; runtime log %s", r.logFile())
                .isLessThanOrEqualTo(MAX_RSS);
    }
}

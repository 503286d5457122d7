package io.inlet.bench;

import io.inlet.bench.ManyJobsRun.Result;
import io.inlet.bench.ManyJobsRun.Target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many jobs on one replica (issue 17): {@code bench/run jobs [JOBS] [postgres|streamload|both]} (default 500, both).
 * For each warehouse in turn, a fresh {@link ManyJobsRun}; prints one table row per warehouse. A run that does not
 * load every row within {@code INLET_BENCH_LIMIT_MINUTES} (15) still prints what it showed, and exits with 1.
 */
public final class ManyJobsBenchmark {

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        String which = args.length > 1 ? args[1] : "both";
        List<Target> targets = switch (which) {
            case "postgres" -> List.of(Target.POSTGRES);
            case "streamload" -> List.of(Target.STREAMLOAD);
            case "both" -> List.of(Target.POSTGRES, Target.STREAMLOAD);
            default -> throw new IllegalArgumentException("warehouse: postgres, streamload or both, not " + which);
        };
        Duration limit = Duration.ofMinutes(Long.parseLong(System.getenv().getOrDefault("INLET_BENCH_LIMIT_MINUTES",
                "15")));
        Path work = Files.createTempDirectory("inlet-bench-jobs");
        List<Result> results = new ArrayList<>();
        for (Target target : targets) {
            System.err.printf("%s: %d jobs…%n", target, jobs);
            results.add(ManyJobsRun.run(target, jobs, limit, true, work));
        }
        print(jobs, results);
        if (results.stream().allMatch(r -> r.loaded() && r.notExactlyOnce().isEmpty())) {
            LoadBenchmark.deleteUnlessKept(work);
        } else {
            System.err.println("the runtimes' logs are in " + work);
            System.exit(1);
        }
    }

    private static void print(int jobs, List<Result> results) {
        System.out.printf("%nInlet, many jobs on one replica: %d jobs × %d partitions × %,d JSON messages, one `inlet run`"
                        + " (%s), %d cores%n%n", jobs, ManyJobsRun.PARTITIONS, ManyJobsRun.MESSAGES,
                String.join(" ", ManyJobsRun.LAUNCHER_JVM.subList(0, 2)), Runtime.getRuntime().availableProcessors());
        System.out.println("| warehouse | jobs | rows | seconds from start | peak RSS MB | peak threads"
                + " | peak warehouse connections | \"too many clients\" / \"connection slots\" | pauses / auto-resumes"
                + " | OutOfMemoryError | idle CPU % of a core | SIGTERM to exit, s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %d | %s | %s | %.0f | %d | %s | %d / %d | %d / %d | %d | %s | %s |%n",
                    r.target() == Target.POSTGRES ? "PostgreSQL" : "Stream Load (Doris)", r.jobs(),
                    r.rows() == r.expectedRows() ? String.format("%,d", r.rows())
                            : String.format("%,d of %,d", r.rows(), r.expectedRows()),
                    r.loaded() ? String.format("%.1f", r.seconds()) : "not all loaded",
                    r.peakRssBytes() / 1048576.0, r.peakThreads(),
                    r.peakRequests() < 0 ? Integer.toString(r.peakConnections())
                            : r.peakConnections() + " (" + r.peakRequests() + " requests at once)",
                    r.log().tooManyClients(), r.log().connectionSlots(), r.log().pauses(), r.log().autoResumes(),
                    r.log().outOfMemory(),
                    Double.isNaN(r.idleCpuPercent()) ? "–" : String.format("%.1f", r.idleCpuPercent()),
                    Double.isNaN(r.stopSeconds()) ? "killed" : r.stopSeconds() < 0 ? "had exited"
                            : String.format("%.1f", r.stopSeconds()));
        }
        for (Result r : results) {
            if (!r.loaded()) {
                System.out.printf("%n%s: %s; log %s%n", r.target(), r.failure(), r.logFile());
            }
            if (r.duplicates() > 0) {
                System.out.printf("%n%s: %,d rows loaded twice or more; first tables: %s%n", r.target(), r.duplicates(),
                        r.notExactlyOnce().stream().limit(5).toList());
            }
        }
    }
}

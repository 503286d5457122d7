package io.inlet.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code inlet run} in a JVM of its own, as ECS runs it, with its output in a log file. */
public final class RuntimeProcess {

    public static final String TOKEN = "crash-test-token-7f3a";

    private RuntimeProcess() {
    }

    /**
     * Starts a runtime of {@code config}. java.io.tmpdir is in {@code dir}: DuckDB's driver unpacks its 72 MB native
     * library into the temp folder at every start, and a runtime killed with SIGKILL never deletes it.
     */
    public static Process start(Path dir, Path config, Path log, Map<String, String> env) throws IOException {
        return start(dir, config, log, env, List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    /** As {@link #start(Path, Path, Path, Map)}, with these JVM options (heap, collector) instead of the tests'. */
    public static Process start(Path dir, Path config, Path log, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-Daws.disableEc2Metadata=true", "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), "io.inlet.cli.InletCli", "run",
                "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("INLET_API_TOKEN", TOKEN);
        pb.environment().putAll(env);
        return pb.start();
    }
}

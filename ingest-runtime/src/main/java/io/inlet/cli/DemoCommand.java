package io.inlet.cli;

import io.inlet.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Loads sample users data from an in-process Kafka broker into an embedded "
        + "DuckDB table with seed 001's CREATE ROUTINE LOAD, then shows the job and a query. No network, no AWS.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "100000", description = "messages to produce (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--dir", defaultValue = "inlet-demo", description = "folder of the DuckDB file (default ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        // the progress bar owns the terminal: only warnings from here on
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.inlet"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        return new Demo(System.out, rows, dir).run() ? 0 : 1;
    }
}

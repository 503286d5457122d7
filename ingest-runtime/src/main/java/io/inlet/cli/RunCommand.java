package io.inlet.cli;

import io.inlet.config.ConfigException;
import io.inlet.config.RuntimeConfig;
import io.inlet.service.InletService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "run", description = "Runs the service: restores its jobs, applies the jobs file, serves the API.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", description = "YAML configuration file; every key can be overridden by INLET_* variables")
    Path config;

    @Override
    public Integer call() throws Exception {
        InletService service;
        try {
            service = new InletService(RuntimeConfig.load(config, System.getenv()));
        } catch (ConfigException e) {
            System.err.println("inlet: configuration error: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "inlet-shutdown"));
        stopped.await();
        return 0;
    }
}

package io.inlet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code inlet}: demo, run, sql. */
@Command(name = "inlet", mixinStandardHelpOptions = true, version = "inlet 0.1.0",
        description = "Routine Load outside the warehouse: continuous, exactly-once loading of streams.",
        subcommands = {DemoCommand.class, RunCommand.class, SqlCommand.class})
public final class InletCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new InletCli()).execute(args));
    }
}

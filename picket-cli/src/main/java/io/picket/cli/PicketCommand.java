package io.picket.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code picket} command line: entry point of the fat jar. */
@Command(name = "picket", mixinStandardHelpOptions = true, version = "picket 0.1.0",
        description = "High-speed, multi-tenant network security monitor with Zeek-compatible logs.",
        subcommands = {RunCommand.class, DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class PicketCommand implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PicketCommand()).execute(args));
    }
}

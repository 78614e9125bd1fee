package io.github.virgl4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./virgl4j COMMAND ...}: the command-line entry point. */
@Command(name = "virgl4j", mixinStandardHelpOptions = true, version = "virgl4j 0.1.0",
        description = "A 3D virtio-gpu device for JVM hypervisors, backed by virglrenderer.",
        subcommands = {InfoCommand.class, DemoCommand.class, VtestCommand.class, VhostUserCommand.class, ReplayCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportFailure)
                .execute(args);
    }

    private static int reportFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("virgl4j " + cmd.getCommandName() + ": " + e.getMessage());
        if (Boolean.getBoolean("virgl4j.debug")) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package dev.sedge.node.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sedge} command line. Data goes to stdout, progress and errors to stderr; a failed command
 * prints one line starting with {@code error:} and exits non-zero.
 *
 * <p>The node's verbs are listed here; verbs of modules built on the node (such as {@code bench}) are
 * added from the {@link CliExtension}s on the class path.
 */
@Command(
        name = "sedge",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help and --version on every verb too
        versionProvider = SedgeCli.Version.class,
        description =
                "Sedge: a serverless edge cloud for IoT. The node is the MQTT broker; functions are its subscribers.",
        subcommands = {
            UpCommand.class,
            DeployCommand.class,
            ListCommand.class,
            DescribeCommand.class,
            DeleteCommand.class,
            InvokeCommand.class,
            DlqCommand.class,
            PasswdCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SedgeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code of a command that failed for a reason printed on stderr. */
    static final int EXIT_FAILED = 1;

    public static void main(String[] args) {
        // One line per log record, set before any logger exists.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code. Used by tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SedgeCli());
        for (CliExtension extension : ServiceLoader.load(CliExtension.class, SedgeCli.class.getClassLoader())) {
            cli.addSubcommand(extension.command());
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException) {
                line.getErr().println("error: " + e.getMessage());
            } else {
                line.getErr().println("error: " + e);
            }
            return EXIT_FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SedgeCli.class.getPackage().getImplementationVersion();
            return new String[] {"sedge " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}

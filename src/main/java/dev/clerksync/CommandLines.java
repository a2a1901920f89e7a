package dev.clerksync;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import dev.clerksync.StoresConfiguration.Command;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every command line of clerk-sync read one way, by picocli (contract §0): {@code --help} and
 * {@code -h} print the command's usage on standard output (exit 0); a wrong command line is named on
 * standard error, followed by the usage (exit 2); a configuration a command cannot start with is
 * named on standard error (exit 2).
 *
 * <p>A command's usage is its {@code @Command} description, printed exactly as written: the texts are
 * laid out by hand (the service's lists every variable it reads) and quoted by the docs.
 */
public final class CommandLines {

    private static final String USAGE_SECTION = "usage";

    private CommandLines() {
    }

    /** The command line of one picocli {@code @Command} object, with its help option and its usage text. */
    public static CommandLine of(Object command) {
        CommandLine line = new CommandLine(command);
        CommandSpec spec = line.getCommandSpec();
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).build());
        // The usage texts hold "$SERVER_PORT" and the like for people to read, not for picocli to fill in.
        spec.interpolateVariables(false);
        spec.usageMessage().sectionKeys(List.of(USAGE_SECTION))
                .sectionMap(Map.of(USAGE_SECTION, help -> String.join("", help.commandSpec().usageMessage().description())));
        // A repeated option counts once, its last value winning, as the hand-written parsers had it.
        spec.parser().overwrittenOptionsAllowed(true);
        // An argument "@file" is an argument, not a file of arguments to read.
        spec.parser().expandAtFiles(false);
        return line;
    }

    /** Runs a command line (a command, or the tree of them) on these arguments; the exit status. */
    public static int execute(CommandLine line, List<String> args, PrintStream out, PrintStream err) {
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setParameterExceptionHandler(CommandLines::usageError);
        line.setExecutionExceptionHandler(CommandLines::cannotStart);
        return line.execute(args.toArray(String[]::new));
    }

    /** The one-command form of {@link #execute(CommandLine, List, PrintStream, PrintStream)}. */
    public static int execute(Object command, List<String> args, PrintStream out, PrintStream err) {
        return execute(of(command), args, out, err);
    }

    /**
     * Says what is wrong with the command line, then the usage, on standard error. Where a command
     * has commands of its own (the top level), a word it does not know is an unknown command; a
     * command's own problems start with its name.
     */
    private static int usageError(ParameterException problem, String[] args) {
        CommandLine line = problem.getCommandLine();
        boolean hasCommands = !line.getSubcommands().isEmpty();
        String message = problem.getMessage();
        if (problem instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            message = !hasCommands ? "unexpected argument " + argument
                    : (argument.startsWith("-") ? "unknown option: " : "unknown command: ") + argument;
        } else if (problem instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            message = option.longestName() + " needs a value";
        }
        PrintWriter err = line.getErr();
        err.println(hasCommands ? message : line.getCommandName() + ": " + message);
        line.usage(err);
        err.flush();
        return Command.CONFIGURATION_ERROR;
    }

    /**
     * A configuration the command cannot start with ({@link InvalidConfigurationException}, its
     * message names the setting and never holds a secret): "{@code name} cannot start: …", exit 2.
     * Anything else is picocli's to report (its stack trace, exit 1).
     */
    private static int cannotStart(Exception failure, CommandLine line, ParseResult parsed) throws Exception {
        InvalidConfigurationException invalid = InvalidConfigurationException.findIn(failure);
        if (invalid == null) {
            throw failure;
        }
        line.getErr().println(line.getCommandName() + " cannot start: " + invalid.getMessage());
        return Command.CONFIGURATION_ERROR;
    }
}

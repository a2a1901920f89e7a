package dev.clerksync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.clerksync.StoresConfiguration.Command;

/**
 * A picocli command that boots the stores as the service does and works on them through their
 * writers ({@code backfill}, {@code remap}, {@code resync}), in the {@link Command#run} flow: its
 * summary alone on standard output, progress and problems on standard error.
 */
public abstract class StoresCommand implements Callable<Integer> {

    protected final PrintStream out;
    protected final PrintStream err;
    private final Path workingDir;
    private final Map<String, String> overrides;

    /**
     * @param workingDir where to look for {@code routes/} and {@code application.properties}
     * @param overrides  property values that win over the environment and the properties file
     */
    protected StoresCommand(Path workingDir, Map<String, String> overrides, PrintStream out, PrintStream err) {
        this.workingDir = workingDir;
        this.overrides = overrides;
        this.out = out;
        this.err = err;
    }

    /**
     * Starts the stores, does the work, stops them; the exit status.
     *
     * @param relationalRequiredBy null, or why the command cannot run without the relational store
     */
    protected final int onStores(String name, String relationalRequiredBy, Command.Work work) {
        return StoresConfiguration.command(workingDir, overrides, relationalRequiredBy).run(name, out, err, work);
    }
}

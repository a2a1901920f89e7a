package dev.clerksync.remap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import com.mongodb.MongoException;
import dev.clerksync.StoresCommand;
import dev.clerksync.StoresConfiguration;
import dev.clerksync.StoresConfiguration.Command;
import dev.clerksync.mapping.Mappings;
import dev.clerksync.mapping.Remap;
import org.springframework.dao.DataAccessException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code java -jar clerk-sync.jar remap [--mapping ID]}: boots the stores as the service does (same
 * settings, migrations and mapping checks; no route, no port, so it runs beside the service),
 * rebuilds mapped targets from clerk-sync's own tables ({@link Remap}), reports progress on
 * standard error and prints a JSON summary as the last line of standard output.
 */
@CommandLine.Command(name = "remap", description = RemapMain.USAGE)
public final class RemapMain extends StoresCommand {

    public static final String USAGE = """
            usage: java -jar clerk-sync.jar remap [--mapping ID]
              Rebuilds the mapped tables and collections of MAPPINGS_DIR from clerk-sync's own tables,
              without calling Clerk: live records are written, deleted ones treated as on-delete says.
              --mapping ID   only this mapping
            exit: 0 done, 1 store error (run it again), 2 usage or configuration error
            """;

    @Option(names = "--mapping", paramLabel = "ID")
    private String only;

    public RemapMain(Path workingDir, Map<String, String> overrides, PrintStream out, PrintStream err) {
        super(workingDir, overrides, out, err);
    }

    @Override
    public Integer call() {
        return onStores("remap", "remap needs the relational store: SYNC_STORES must name postgres (it reads clerk-sync's own tables)",
                stores -> remap(stores, only, err));
    }

    private static Command.Ended remap(StoresConfiguration stores, String only, PrintStream err) {
        long started = System.nanoTime();
        String mapped = "{}";
        int status;
        try {
            Mappings mappings = stores.mappings();
            if (only != null && !mappings.ids().contains(only)) {
                err.println("remap: no mapping '" + only + "' in MAPPINGS_DIR");
                status = Command.CONFIGURATION_ERROR;
            } else {
                mapped = Remap.countsJson(new Remap(stores.sql().dataSource(), mappings, err).run(only));
                status = Command.DONE;
            }
        } catch (SQLException | MongoException | DataAccessException e) {
            status = Command.storeError("remap", e, err);
        }
        return new Command.Ended(status, "{\"mappings\":" + mapped + ",\"seconds\":"
                + String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e9) + "}");
    }
}

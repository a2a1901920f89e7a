package dev.clerksync.remap;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.mongodb.MongoException;
import dev.clerksync.StoresConfiguration;
import dev.clerksync.StoresConfiguration.Command;
import dev.clerksync.mapping.Mappings;
import dev.clerksync.mapping.Remap;
import org.springframework.dao.DataAccessException;

/**
 * {@code java -jar clerk-sync.jar remap [--mapping ID]}: boots the stores as the service does (same
 * settings, migrations and mapping checks; no route, no port, so it runs beside the service),
 * rebuilds mapped targets from clerk-sync's own tables ({@link Remap}), reports progress on
 * standard error and prints a JSON summary as the last line of standard output.
 */
public final class RemapMain {

    public static final String USAGE = """
            usage: java -jar clerk-sync.jar remap [--mapping ID]
              Rebuilds the mapped tables and collections of MAPPINGS_DIR from clerk-sync's own tables,
              without calling Clerk: live records are written, deleted ones treated as on-delete says.
              --mapping ID   only this mapping
            exit: 0 done, 1 store error (run it again), 2 usage or configuration error
            """;

    private RemapMain() {
    }

    public static int run(List<String> args, Path workingDir, Map<String, String> overrides, PrintStream out,
                          PrintStream err) {
        if (Command.helpAsked(args, USAGE, out)) {
            return Command.DONE;
        }
        String only = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--mapping") && i + 1 < args.size() && only == null) {
                only = args.get(++i);
            } else {
                return Command.usageError("remap", "unexpected argument " + args.get(i), USAGE, err);
            }
        }
        String mapping = only;
        return StoresConfiguration.command(workingDir, overrides,
                "remap needs the relational store: SYNC_STORES must name postgres (it reads clerk-sync's own tables)")
                .run("remap", out, err, stores -> remap(stores, mapping, err));
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

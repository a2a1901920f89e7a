package dev.clerksync.resync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

import com.mongodb.MongoException;
import dev.clerksync.StoresConfiguration;
import dev.clerksync.mapping.Remap;
import org.apache.camel.main.Main;

/**
 * {@code java -jar clerk-sync.jar resync}: boots the stores as the service does (same settings,
 * migrations and identity check, which gives an empty document store this deployment's id; no route,
 * no port, so it runs beside the service), rebuilds the document store from the relational one
 * ({@link Resync}, then the mapped collections as {@code remap} does), reports progress on standard
 * error and prints a JSON summary as the last line of standard output.
 */
public final class ResyncMain {

    public static final int DONE = 0;
    public static final int STORE_ERROR = 1;
    public static final int USAGE_OR_CONFIGURATION = 2;

    public static final String USAGE = """
            usage: java -jar clerk-sync.jar resync
              Rebuilds the document store (MongoDB) from the relational store, without calling Clerk:
              users, organizations, memberships (deleted ones too), the audit log and the mapped
              collections. Run it after adding MongoDB to a running deployment, or to recover a lost one;
              a second run changes nothing, and it may run beside the service.
            exit: 0 done, 1 store error (run it again), 2 usage or configuration error
            """;

    private ResyncMain() {
    }

    public static int run(List<String> args, Path workingDir, Map<String, String> overrides, PrintStream out,
                          PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return DONE;
        }
        if (!args.isEmpty()) {
            err.println("resync: unexpected argument " + args.get(0));
            err.print(USAGE);
            return USAGE_OR_CONFIGURATION;
        }
        StoresConfiguration.Command boot = StoresConfiguration.command(workingDir, overrides,
                "resync needs the relational store: SYNC_STORES must name postgres and mongodb (it copies the first into the second)");
        Main main = boot.main();
        OptionalInt refused = boot.start("resync", err);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        StringBuilder summary = new StringBuilder("{");
        int status;
        try (ResyncProgress progress = ResyncProgress.start(err)) {
            try {
                if (boot.stores().documentDatabase() == null) {
                    err.println("resync cannot start: resync needs the document store: SYNC_STORES must name postgres and mongodb"
                            + " (it copies the first into the second)");
                    status = USAGE_OR_CONFIGURATION;
                } else {
                    new Resync(boot.stores().sql().dataSource(), boot.stores().documentDatabase(), progress).run();
                    Map<String, Remap.Counts> mapped = new Remap(boot.stores().sql().dataSource(), boot.stores().mappings(), err)
                            .runCollections();
                    progress.report();
                    summary.append(progress.countsJson()).append(",\"mappings\":").append(Remap.countsJson(mapped)).append(',');
                    status = DONE;
                }
            } catch (SQLException | MongoException | org.springframework.dao.DataAccessException e) {
                err.println("resync stopped on a store error (" + e.getClass().getSimpleName() + "); run it again");
                summary.append(progress.countsJson()).append(',');
                status = STORE_ERROR;
            } finally {
                main.stop();
            }
            summary.append("\"seconds\":").append(String.format(Locale.ROOT, "%.3f", progress.seconds())).append('}');
        }
        // Last, after the stores closed: the summary is the last line on standard output.
        out.println(summary);
        out.flush();
        return status;
    }
}

package dev.clerksync.resync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import com.mongodb.MongoException;
import dev.clerksync.StoresCommand;
import dev.clerksync.StoresConfiguration;
import dev.clerksync.StoresConfiguration.Command;
import dev.clerksync.mapping.Remap;
import org.springframework.dao.DataAccessException;
import picocli.CommandLine;

/**
 * {@code java -jar clerk-sync.jar resync}: boots the stores as the service does (same settings,
 * migrations and identity check, which gives an empty document store this deployment's id; no route,
 * no port, so it runs beside the service), rebuilds the document store from the relational one
 * ({@link Resync}, then the mapped collections as {@code remap} does), reports progress on standard
 * error and prints a JSON summary as the last line of standard output.
 */
@CommandLine.Command(name = "resync", description = ResyncMain.USAGE)
public final class ResyncMain extends StoresCommand {

    public static final String USAGE = """
            usage: java -jar clerk-sync.jar resync
              Rebuilds the document store (MongoDB) from the relational store, without calling Clerk:
              users, organizations, memberships (deleted ones too), the audit log and the mapped
              collections. Run it after adding MongoDB to a running deployment, or to recover a lost one;
              a second run changes nothing, and it may run beside the service.
            exit: 0 done, 1 store error (run it again), 2 usage or configuration error
            """;

    public ResyncMain(Path workingDir, Map<String, String> overrides, PrintStream out, PrintStream err) {
        super(workingDir, overrides, out, err);
    }

    @Override
    public Integer call() {
        return onStores("resync", "resync needs the relational store: SYNC_STORES must name postgres and mongodb"
                + " (it copies the first into the second)", stores -> resync(stores, err));
    }

    private static Command.Ended resync(StoresConfiguration stores, PrintStream err) {
        StringBuilder summary = new StringBuilder("{");
        int status;
        try (ResyncProgress progress = ResyncProgress.start(err)) {
            try {
                if (stores.documentDatabase() == null) {
                    err.println("resync cannot start: resync needs the document store: SYNC_STORES must name postgres and mongodb"
                            + " (it copies the first into the second)");
                    status = Command.CONFIGURATION_ERROR;
                } else {
                    new Resync(stores.sql().dataSource(), stores.documentDatabase(), progress).run();
                    Map<String, Remap.Counts> mapped = new Remap(stores.sql().dataSource(), stores.mappings(), err).runCollections();
                    progress.report();
                    summary.append(progress.countsJson()).append(",\"mappings\":").append(Remap.countsJson(mapped)).append(',');
                    status = Command.DONE;
                }
            } catch (SQLException | MongoException | DataAccessException e) {
                summary.append(progress.countsJson()).append(',');
                status = Command.storeError("resync", e, err);
            }
            summary.append("\"seconds\":").append(String.format(Locale.ROOT, "%.3f", progress.seconds())).append('}');
        }
        return new Command.Ended(status, summary.toString());
    }
}

package dev.clerksync.backfill;

import java.io.PrintStream;
import java.sql.SQLException;

import com.mongodb.client.MongoDatabase;
import dev.clerksync.StoresConfiguration;
import dev.clerksync.StoresConfiguration.Command;
import dev.clerksync.admin.MongoAdminReads;
import dev.clerksync.admin.SqlAdminReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar clerk-sync.jar backfill …}: boots the stores as the service does (same settings,
 * same migrations) and nothing else — no route, no webhook endpoint, no management port, so it runs
 * beside a running service —, runs one backfill through the stores' writers, prints the JSON
 * summary last on standard output.
 */
public final class BackfillMain {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillMain.class);

    private BackfillMain() {
    }

    /**
     * A run on the stores a command or the service opened; with --reconcile, its drift goes into
     * {@code drift} (null otherwise).
     */
    static Backfill backfill(BackfillOptions options, ClerkApi api, StoresConfiguration boot, BackfillSummary summary,
                             DriftReport drift, PrintStream err) {
        BackfillStores stores = BackfillStores.of(boot);
        DriftCheck check = null;
        if (drift != null) {
            // The admin view's reads: the label and engine they carry for people play no part here.
            SqlAdminReads relational = new SqlAdminReads(boot.sql().dataSource(), boot.sql().dialect(), "");
            MongoDatabase document = boot.documentDatabase();
            check = new DriftCheck(relational, document == null ? null : new MongoAdminReads(document, false, ""), drift);
        }
        return new Backfill(options, api, stores, summary, check, err);
    }

    /** Runs a backfill with these options on the started stores; how it ended (see {@link BackfillCommand#USAGE}). */
    static Command.Ended run(BackfillOptions options, StoresConfiguration boot, PrintStream err) {
        // Standard error: standard output carries the summary alone.
        LOG.info("clerk-sync backfill: stores: {}", boot.describe());
        ClerkApi api = ClerkApi.of(options);
        BackfillSummary summary = new BackfillSummary();
        DriftReport drift = options.reconcile() ? new DriftReport() : null;
        Backfill backfill = backfill(options, api, boot, summary, drift, err);
        int status;
        try (BackfillProgress progress = BackfillProgress.start(summary, api, err)) {
            backfill.run();
            progress.report();
            if (drift != null) {
                drift.printExamples(err);
            }
            status = Command.DONE;
        } catch (ClerkKeyRejectedException e) {
            err.println("backfill stopped: " + e.getMessage());
            status = Command.CONFIGURATION_ERROR;
        } catch (Backfill.NothingToResumeException e) {
            err.println("backfill: " + e.getMessage());
            status = Command.CONFIGURATION_ERROR;
        } catch (ClerkApiException e) {
            err.println("backfill stopped: " + e.getMessage() + "; " + again(backfill));
            status = Command.STOPPED;
        } catch (BackfillStoreException | SQLException e) {
            err.println("backfill stopped on a store error (" + rootCause(e).getClass().getSimpleName() + "); "
                    + again(backfill));
            status = Command.STOPPED;
        }
        return new Command.Ended(status, summary.toJson(backfill.runId(), api.requests(), api.rateLimited(), backfill.elapsed(), drift));
    }

    private static String again(Backfill backfill) {
        return backfill.resumable() ? "run it again with --resume to continue where it stopped" : "run it again once that is fixed";
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

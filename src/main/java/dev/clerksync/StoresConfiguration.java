package dev.clerksync;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import com.mongodb.client.MongoDatabase;
import dev.clerksync.admin.AdminView;
import dev.clerksync.admin.MappedReads;
import dev.clerksync.http.DeliveryMetrics;
import dev.clerksync.mapping.Mappings;
import dev.clerksync.store.CascadeFollower;
import dev.clerksync.store.StoreHealthCheck;
import dev.clerksync.store.document.DocumentDeployment;
import dev.clerksync.store.document.MongoStore;
import dev.clerksync.store.document.MongoWriter;
import dev.clerksync.store.relational.CascadeWork;
import dev.clerksync.store.relational.RelationalDecider;
import dev.clerksync.store.relational.RelationalDeployment;
import dev.clerksync.store.relational.SqlParameters;
import dev.clerksync.store.relational.SqlStore;
import dev.clerksync.trace.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;

/**
 * What every command boots: the stores {@code SYNC_STORES} selects, opened and migrated, and their
 * writers — the relational decider and the document store's writer — bound for the routes and held
 * here for the commands that call them directly (the backfill). The service adds
 * {@link WebhookConfiguration}.
 *
 * <p>A command's Camel Main reads the properties ({@code application.properties} from the working
 * directory when it holds {@code routes/} too, else the copies packed in the jar) and the overrides.
 */
public final class StoresConfiguration implements CamelConfiguration {

    /** The follower when SYNC_STORES names one store: the deliver route then skips the follow step. */
    static final String NO_FOLLOWER = "none";

    private final MainConfigurationProperties main;
    private final String relationalRequiredBy;
    private ClerkSyncSettings settings;
    private MeterRegistry meters;
    private DeliveryMetrics metrics;
    private OpenStores stores;
    private RelationalDecider decider;
    private MongoWriter writer;
    private CascadeWork cascades;
    private Mappings mappings;
    private Traces traces = Traces.OFF;

    /**
     * @param relationalRequiredBy null, or why the command cannot run without the relational store
     *                             (it is refused, with that reason, before any store opens)
     */
    StoresConfiguration(MainConfigurationProperties main, String relationalRequiredBy) {
        this.main = main;
        this.relationalRequiredBy = relationalRequiredBy;
    }

    /** The service's traces, for the writers' deliveries and batches (set before configure; off otherwise). */
    void trace(Traces traces) {
        this.traces = traces;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        settings = ClerkSyncSettings.from(context.getPropertiesComponent());
        if (relationalRequiredBy != null && !settings.usesPostgres()) {
            throw new InvalidConfigurationException(relationalRequiredBy);
        }
        Registry registry = context.getRegistry();
        meters = sharedMeterRegistry(registry);
        metrics = new DeliveryMetrics(meters);
        // One decision per delivery: the relational store decides when it is configured, MongoDB
        // when it is the only store; with both, MongoDB follows (routes/deliver.camel.yaml).
        context.getPropertiesComponent().addOverrideProperty("clerk.sync.decider",
                settings.usesPostgres() ? ClerkSyncSettings.POSTGRES : ClerkSyncSettings.MONGODB);
        context.getPropertiesComponent().addOverrideProperty("clerk.sync.follower",
                settings.usesPostgres() && settings.usesMongodb() ? ClerkSyncSettings.MONGODB : NO_FOLLOWER);

        try {
            stores = OpenStores.open(settings);
        } catch (Exception e) {
            throw DatabaseSetupFailures.explained(e, settings.databaseUrl());
        }
        try {
            // Before anything is bound or started: stores that hold different histories stop start-up.
            StoreIdentity.settle(settings,
                    stores.sql() == null ? null : new RelationalDeployment(stores.sql().dataSource(), stores.sql().dialect()),
                    stores.mongo() == null ? null : new DocumentDeployment(stores.mongo().client().getDatabase(settings.mongodbDatabase())));
            // Before any route starts (the webhook port opens with the routes): a mapping that cannot work stops start-up.
            mappings = Mappings.load(Path.of(context.getPropertiesComponent().resolveProperty("clerk.mappings.dir").orElse("mappings")),
                    stores.sql() == null ? null : stores.sql().dataSource(), stores.sql() == null ? null : stores.sql().dialect(),
                    stores.mongo() == null ? null : stores.mongo().client().getDatabase(settings.mongodbDatabase()));
        } catch (Exception e) {
            // Not yet services of the context, so nothing else would close them (the embedded files stay locked).
            if (stores.sql() != null) {
                stores.sql().close();
            }
            if (stores.mongo() != null) {
                stores.mongo().close();
            }
            throw e;
        }
        if (stores.sql() != null) {
            SqlStore sql = stores.sql();
            context.addService(sql);
            registry.bind("clerkSyncDataSource", sql.dataSource());
            registry.bind("postgresHealth", new StoreHealthCheck(ClerkSyncSettings.POSTGRES, sql::isReachable));
            registry.bind("sqlParameters", new SqlParameters());
            decider = new RelationalDecider(sql.dataSource(), sql.dialect(), settings.publishesChangeEvents(),
                    settings.cascadeInlineLimit(), settings.writers(), settings.maxBatch(), metrics::relationalBatch);
            if (traces.on()) {
                decider.trace(traces.tracer());
            }
            registry.bind("relationalDecider", decider);
            // The SQL files are kept per dialect: PostgreSQL gets its best SQL, H2 its own.
            context.getPropertiesComponent().addOverrideProperty("clerk.sql.dialect", sql.dialect());
        } else {
            excludeRoutes(main, "postgres-sink.camel.yaml");
        }
        if (stores.mongo() != null) {
            MongoStore mongo = stores.mongo();
            context.addService(mongo);
            registry.bind("clerkSyncMongoClient", mongo.client());
            registry.bind("mongodbHealth", new StoreHealthCheck(ClerkSyncSettings.MONGODB, mongo::isReachable));
            writer = new MongoWriter(mongo.client().getDatabase(settings.mongodbDatabase()), settings.writers(),
                    settings.maxBatch(), metrics::mongodbBatch);
            if (traces.on()) {
                writer.trace(traces.tracer());
            }
            registry.bind("mongoWriter", writer);
        } else {
            excludeRoutes(main, "mongodb-sink.camel.yaml");
        }
        if (stores.sql() != null && stores.sql().isPostgresql()) {
            cascades = new CascadeWork(stores.sql().dataSource(), writer != null ? writer : CascadeFollower.NONE,
                    settings.publishesChangeEvents(), settings.cascadeInlineLimit());
            registry.bind("cascadeWork", cascades);
        } else {
            // The embedded database cascades in the deciding transaction, whatever the count.
            excludeRoutes(main, "cascades.camel.yaml");
        }
        mappings.install(decider, writer, cascades);
        registry.bind(AdminView.MAPPED_BEAN, MappedReads.class, mappings.reads());
    }

    /** The chunks of deletions left for after their answer (PostgreSQL); null elsewhere. */
    public CascadeWork cascades() {
        return cascades;
    }

    /** A command's Camel Main and its stores, whose writers it calls itself. */
    public record Command(Main main, StoresConfiguration stores) {

        /** Exit status of a command that did its work. */
        public static final int DONE = 0;
        /** Exit status of a command stopped by a store (or, for the backfill, Clerk): running it again may do. */
        public static final int STOPPED = 1;
        /** Exit status of a command refused at start-up for its configuration (a usage error too). */
        public static final int CONFIGURATION_ERROR = 2;

        /** What a command does with its started stores. */
        @FunctionalInterface
        public interface Work {
            Ended run(StoresConfiguration stores);
        }

        /** How a command's work ended: its exit status and the JSON summary it prints last. */
        public record Ended(int status, String summary) {
        }

        /**
         * Starts the stores, does the work, stops the stores and only then prints the summary, so
         * that it is the last line of standard output whatever the stores log as they close; the
         * exit status.
         */
        public int run(String name, PrintStream out, PrintStream err, Work work) {
            OptionalInt refused = start(name, err);
            if (refused.isPresent()) {
                return refused.getAsInt();
            }
            Ended ended;
            try {
                ended = work.run(stores);
            } finally {
                main.stop();
            }
            out.println(ended.summary());
            out.flush();
            return ended.status();
        }

        /**
         * Says on {@code err} that the command stopped on a store error, naming the failure's class
         * (never its message: it may hold a value); the exit status.
         */
        public static int storeError(String name, Exception failure, PrintStream err) {
            err.println(name + " stopped on a store error (" + failure.getClass().getSimpleName() + "); run it again");
            return STOPPED;
        }

        /**
         * Starts the command's stores; empty when they started, else the exit status, after saying
         * on {@code err} why "{@code name} cannot start" (Camel's start-up messages name routes,
         * endpoints and settings, never a secret or a payload).
         */
        private OptionalInt start(String name, PrintStream err) {
            try {
                main.start();
                return OptionalInt.empty();
            } catch (RuntimeException e) {
                main.stop();
                InvalidConfigurationException invalid = InvalidConfigurationException.findIn(e);
                err.println(name + " cannot start: " + (invalid != null ? invalid.getMessage() : e.getMessage()));
                return OptionalInt.of(invalid != null ? CONFIGURATION_ERROR : STOPPED);
            }
        }
    }

    /**
     * A command that writes the stores itself through their writers, with no route, no webhook and
     * no management port, so that it runs beside a running service.
     *
     * @param workingDir           where to look for {@code routes/} and {@code application.properties}
     * @param overrides            property values that win over the environment and the properties file
     * @param relationalRequiredBy null, or why the command cannot run without the relational store
     */
    public static Command command(Path workingDir, Map<String, String> overrides, String relationalRequiredBy) {
        Main main = new Main();
        readProperties(main, workingDir, overrides);
        main.configure().setRoutesCollectorEnabled(false);
        main.addOverrideProperty("camel.server.enabled", "false");
        main.addOverrideProperty("camel.management.enabled", "false");
        StoresConfiguration stores = new StoresConfiguration(main.configure(), relationalRequiredBy);
        main.configure().addConfiguration(stores);
        return new Command(main, stores);
    }

    /** Reads the properties and applies the overrides; the base the files were found under. */
    static String readProperties(Main main, Path workingDir, Map<String, String> overrides) {
        boolean fromDisk = Files.isDirectory(workingDir.resolve("routes"))
                && Files.isRegularFile(workingDir.resolve("application.properties"));
        String base = fromDisk ? "file:" + workingDir.toAbsolutePath().normalize() + "/" : "classpath:";
        String locations = base + "application.properties";
        if (fromDisk && "true".equalsIgnoreCase(overrides.getOrDefault("clerk.dev", System.getenv("CLERK_SYNC_DEV")))) {
            // Development mode: routes/*.camel.yaml are reloaded when they change.
            locations += "," + base + "application-dev.properties";
        }
        main.setPropertyPlaceholderLocations(locations);
        overrides.forEach(main::addOverrideProperty);
        return base;
    }

    /**
     * Leaves a route file out, whatever the location form Camel gives it: {@code
     * file:/…/routes/x.camel.yaml} from the repository root, a bare {@code routes/x.camel.yaml} for
     * the copies packed in the jar.
     */
    static void excludeRoutes(MainConfigurationProperties main, String routeFile) {
        String pattern = "**/" + routeFile;
        String before = main.getRoutesExcludePattern();
        main.setRoutesExcludePattern(before == null || before.isEmpty() ? pattern : before + "," + pattern);
    }

    ClerkSyncSettings settings() {
        return settings;
    }

    MeterRegistry meters() {
        return meters;
    }

    DeliveryMetrics metrics() {
        return metrics;
    }

    OpenStores stores() {
        return stores;
    }

    /** The relational store's decider; null without the relational store. */
    public RelationalDecider decider() {
        return decider;
    }

    /** The document store's writer; null without the document store. */
    public MongoWriter writer() {
        return writer;
    }

    /** The mappings of MAPPINGS_DIR, checked against the stores. */
    public Mappings mappings() {
        return mappings;
    }

    /** The document store's database; null without it. */
    public MongoDatabase documentDatabase() {
        return stores.mongo() == null ? null : stores.mongo().client().getDatabase(settings.mongodbDatabase());
    }

    /** The relational store; null without it. */
    public SqlStore sql() {
        return stores.sql();
    }

    /** The stores in use, as a line may name them: "postgres=…, mongodb=…" (no credentials). */
    public String describe() {
        StringBuilder stores = new StringBuilder();
        if (this.stores.sql() != null) {
            stores.append("postgres=").append(this.stores.sql().description());
        }
        if (this.stores.mongo() != null) {
            stores.append(stores.isEmpty() ? "" : ", ").append("mongodb=").append(this.stores.mongo().description());
        }
        return stores.toString();
    }

    /**
     * The registry that {@code /observe/metrics} scrapes: Camel's Prometheus support may already have
     * made it (camel-main sets metrics up before it runs configuration classes); otherwise this makes
     * it, and Camel finds it by name.
     */
    private static MeterRegistry sharedMeterRegistry(Registry registry) {
        MeterRegistry existing = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }
}

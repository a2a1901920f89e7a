package dev.clerksync;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.clerksync.admin.AdminCredentials;
import dev.clerksync.admin.AdminStoreReads;
import dev.clerksync.admin.AdminView;
import dev.clerksync.admin.ChangeEventBacklog;
import dev.clerksync.admin.JsonValues;
import dev.clerksync.admin.MongoAdminReads;
import dev.clerksync.admin.SqlAdminReads;
import dev.clerksync.admin.SvixPortal;
import dev.clerksync.backfill.ReconcileSchedule;
import dev.clerksync.backfill.ScheduledReconcile;
import dev.clerksync.changes.ChangeEventRelay;
import dev.clerksync.changes.ChangeEventsMetrics;
import dev.clerksync.changes.KafkaChangeEventHeaders;
import dev.clerksync.changes.RabbitChangeEvents;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.http.ClientAddresses;
import dev.clerksync.http.DeliveryMetrics;
import dev.clerksync.http.DeliveryResponder;
import dev.clerksync.http.DeliveryTrace;
import dev.clerksync.http.ErrorResponder;
import dev.clerksync.http.PemTls;
import dev.clerksync.http.RateLimiter;
import dev.clerksync.http.RawRequestBodies;
import dev.clerksync.http.RequestDeadline;
import dev.clerksync.http.ResponseStatuses;
import dev.clerksync.http.StoreWriteTimer;
import dev.clerksync.http.TransportAnswers;
import dev.clerksync.http.WebhookConnections;
import dev.clerksync.store.relational.ReplicaLease;
import dev.clerksync.store.relational.SqlStore;
import dev.clerksync.trace.Traces;
import dev.clerksync.verify.SvixSignatureVerifier;
import dev.clerksync.verify.WebhookSecrets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the service adds to the stores ({@link StoresConfiguration}): the webhook endpoint's beans
 * (verification, rate limit, slow clients, answers), the change-event relay and the admin view, and
 * the start-up line. Leaves out the relay's routes when no broker is configured. Its {@link #checks()}
 * run before the stores open.
 */
public final class WebhookConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfiguration.class);

    private final MainConfigurationProperties main;
    private final String configBase;
    private final StoresConfiguration stores;
    /** The OTEL_* variables, as the environment (or a test's overrides) gives them. */
    private final Map<String, String> otelSettings;
    private Traces traces;
    private WebhookSecrets secrets;
    private Optional<SSLContextParameters> tls;
    private Optional<ReconcileSchedule> reconcile;

    WebhookConfiguration(MainConfigurationProperties main, String configBase, StoresConfiguration stores,
            Map<String, String> otelSettings) {
        this.main = main;
        this.configBase = configBase;
        this.stores = stores;
        this.otelSettings = otelSettings;
    }

    /**
     * The service, exactly as production runs it: the stores, the webhook, every route.
     *
     * @param workingDir where to look for {@code routes/} and {@code application.properties}
     * @param overrides  property values that win over the environment and the properties file
     */
    public static Main service(Path workingDir, Map<String, String> overrides) {
        Main main = new Main();
        String base = StoresConfiguration.readProperties(main, workingDir, overrides);
        main.configure().withRoutesIncludePattern(base + "routes/*.camel.yaml");
        StoresConfiguration stores = new StoresConfiguration(main.configure(), null);
        WebhookConfiguration webhook = new WebhookConfiguration(main.configure(), base, stores, otelSettings(overrides));
        main.configure().addConfiguration(webhook.checks());
        main.configure().addConfiguration(stores);
        main.configure().addConfiguration(webhook);
        return main;
    }

    /**
     * The standard OpenTelemetry variables of the environment ({@code OTEL_*}); an override of the same
     * name (a test's) wins, as overrides win over the environment for every other setting.
     */
    private static Map<String, String> otelSettings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                settings.put(name, value);
            }
        });
        overrides.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    /**
     * What the service checks before any store opens (and any migration runs): the webhook secrets,
     * the TLS certificate, that change events have the relational store they need, and the OTEL_*
     * settings of traces.
     */
    CamelConfiguration checks() {
        return new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) throws Exception {
                check(context);
            }
        };
    }

    private void check(CamelContext context) throws Exception {
        ClerkSyncSettings settings = ClerkSyncSettings.from(context.getPropertiesComponent());
        checkChangeEvents(settings);
        secrets = WebhookSecrets.parse(settings.webhookSecrets());
        // The webhook server takes these (camel.server.use-global-ssl-context-parameters), the
        // management server does not.
        tls = PemTls.fromSettings(settings.tlsCertificate(), settings.tlsKey());
        tls.ifPresent(context::setSSLContextParameters);
        try {
            traces = Traces.fromSettings(otelSettings);
        } catch (ConfigurationException e) {
            // The SDK says "Unexpected configuration error" for some, with the reason in the cause.
            String reason = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage();
            throw new InvalidConfigurationException("traces cannot start with these OTEL_* settings: " + reason);
        }
        if (traces.on()) {
            LOG.info("clerk-sync: traces on, exported as the OTEL_* variables say (docs/operations.md \"Traces\")");
        }
        stores.trace(traces);
        reconcile = ReconcileSchedule.from(context.getPropertiesComponent(), settings.usesPostgres());
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ClerkSyncSettings settings = stores.settings();
        Registry registry = context.getRegistry();
        MeterRegistry meters = stores.meters();
        Gauge.builder("clerk_sync_deliveries_in_flight", () -> context.getInflightRepository().size("webhook"))
                .description("Deliveries being processed now").register(meters);
        DeliveryMetrics metrics = stores.metrics();

        ClientAddresses clients = ClientAddresses.trusting(settings.trustedProxies());
        // Slow and crowding clients before their requests exist (docs/design.md decision 14).
        new WebhookConnections(settings.serverPort(), settings.headerTimeoutSeconds(), settings.idleTimeoutSeconds(),
                settings.maxConnectionsPerAddress(), clients, metrics).install(context);
        RequestDeadline.install(context, settings.serverPort(), settings.requestTimeoutMs());
        RawRequestBodies.install(context, settings.serverPort());
        TransportAnswers.install(context, settings.serverPort(), metrics);
        // Stopped after the routes, so the last deliveries' spans are exported (docs/operations.md "Traces").
        context.addService(traces);
        DeliveryTrace deliveryTrace = new DeliveryTrace(traces);
        registry.bind("deliveryTrace", deliveryTrace);
        ResponseStatuses.install(context, settings.serverPort(), metrics);
        registry.bind("deliveryMetrics", metrics);
        registry.bind("rateLimiter", new RateLimiter(settings.rateLimit(), clients));
        registry.bind("svixSignatureVerifier", deliveryTrace.around("verify", new SvixSignatureVerifier(secrets)));
        registry.bind("clerkEventParser", new ClerkEventParser());
        registry.bind("deliveryResponder", new DeliveryResponder(metrics));
        registry.bind("errorResponder", new ErrorResponder(settings.retryAfterSeconds(), metrics));
        context.getManagementStrategy().addEventNotifier(new StoreWriteTimer(metrics));

        SqlStore sql = stores.sql();
        if (settings.publishesChangeEvents()) {
            ChangeEventsMetrics outbox = ChangeEventsMetrics.register(meters, sql.dataSource(), sql.dialect());
            // The admin view's status panel shows the same backlog (docs/admin-view.md).
            ChangeEventBacklog backlog = () -> JsonValues.object()
                    .put("pending", outbox.pending())
                    .put("oldest_pending_age_seconds", outbox.oldestAgeSeconds())
                    .put("parked", outbox.parked());
            registry.bind(AdminView.BACKLOG_BEAN, ChangeEventBacklog.class, backlog);
            bindRelay(context, settings, sql.dialect(), traces);
        } else {
            // Without a broker nothing is published: no relay, and no pending count that only grows.
            StoresConfiguration.excludeRoutes(main, "change-events.camel.yaml");
        }
        installScheduledReconcile(context, settings, meters);
        installAdminView(context, settings, stores.stores());
        context.addStartupListener(new StartupSummary(settings, tls.isPresent(),
                configBase.equals("classpath:") ? "the jar" : configBase.substring("file:".length()), secrets.count()));
    }

    /** A data directory as people wrote it: {@code ./data} for the default {@code data}. */
    private static String shown(Path dir) {
        return dir.isAbsolute() || dir.toString().startsWith(".") ? dir.toString() : "./" + dir;
    }

    /** Change events need the relational store's outbox. */
    private static void checkChangeEvents(ClerkSyncSettings settings) {
        if (settings.publishesChangeEvents() && !settings.usesPostgres()) {
            throw new InvalidConfigurationException("change events (RABBITMQ_URI or KAFKA_BOOTSTRAP_SERVERS) need the "
                    + "relational store, which writes them in the same transaction as each change: SYNC_STORES must name postgres");
        }
    }

    /** The lease that lets one replica do a task: a lock in PostgreSQL, none needed for the embedded store. */
    private static ReplicaLease lease(ClerkSyncSettings settings, String dialect, String task, String lock, long key) {
        return "postgresql".equals(dialect)
                ? ReplicaLease.postgres(task, lock, key, settings.databaseUrl(), settings.databaseUser(), settings.databasePassword())
                : ReplicaLease.always(task, lock);
    }

    /** The beans of routes/reconcile.camel.yaml, or no such route without RECONCILE_EVERY. */
    private void installScheduledReconcile(CamelContext context, ClerkSyncSettings settings, MeterRegistry meters)
            throws Exception {
        if (reconcile.isEmpty()) {
            StoresConfiguration.excludeRoutes(main, "reconcile.camel.yaml");
            return;
        }
        ReplicaLease lease = lease(settings, stores.sql().dialect(), "scheduled reconcile", "reconcile", ReplicaLease.RECONCILE);
        context.addService(lease);
        context.getRegistry().bind("reconcileLease", lease);
        context.getRegistry().bind("scheduledReconcile", new ScheduledReconcile(reconcile.get(), stores, meters, Clock.systemUTC()));
        context.getPropertiesComponent().addOverrideProperty("clerk.reconcile.check-ms",
                Long.toString(reconcile.get().checkEvery().toMillis()));
        LOG.info("clerk-sync: a reconcile pass every {}", reconcile.get().every());
    }

    /** The beans of routes/change-events.camel.yaml. */
    private static void bindRelay(CamelContext context, ClerkSyncSettings settings, String dialect, Traces traces)
            throws Exception {
        ReplicaLease lease = lease(settings, dialect, "change events relay", "relay", ReplicaLease.RELAY);
        context.addService(lease);
        context.getRegistry().bind("relayLease", lease);
        context.getRegistry().bind("changeEventRelay", new ChangeEventRelay(traces));
        boolean toRabbit = !settings.rabbitmqUri().isEmpty();
        boolean toKafka = !settings.kafkaBootstrapServers().isEmpty();
        context.getPropertiesComponent().addOverrideProperty("clerk.change-events.to-rabbitmq", Boolean.toString(toRabbit));
        context.getPropertiesComponent().addOverrideProperty("clerk.change-events.to-kafka", Boolean.toString(toKafka));
        if (toRabbit) {
            RabbitChangeEvents rabbit = new RabbitChangeEvents(settings.rabbitmqUri(), settings.changeEventsExchange(),
                    settings.changeEventsConfirmTimeoutMs());
            context.addService(rabbit);
            context.getRegistry().bind("rabbitChangeEvents", rabbit);
            LOG.info("clerk-sync: change events to RabbitMQ exchange {}", settings.changeEventsExchange());
        }
        if (toKafka) {
            context.getRegistry().bind("kafkaChangeEventHeaders", new KafkaChangeEventHeaders());
            LOG.info("clerk-sync: change events to Kafka topic {}", settings.changeEventsTopic());
        }
    }

    /**
     * The admin view on the management port: the relational store first, as it decides when it is
     * configured. Refused when the management port is the webhook port, which must never serve it.
     */
    private static void installAdminView(CamelContext context, ClerkSyncSettings settings, OpenStores stores)
            throws Exception {
        boolean enabled = !settings.adminToken().isEmpty();
        if (enabled && settings.managementPort() == settings.serverPort()) {
            throw new InvalidConfigurationException("ADMIN_TOKEN needs MANAGEMENT_PORT apart from SERVER_PORT: "
                    + "the webhook port never serves the admin view");
        }
        List<AdminStoreReads> reads = new ArrayList<>();
        SqlAdminReads sql = stores.sql() == null ? null : new SqlAdminReads(stores.sql().dataSource(),
                stores.sql().dialect(), stores.sql().isPostgresql() ? "PostgreSQL" : "embedded H2 (" + shown(settings.dataDir()) + ")");
        if (sql != null) {
            reads.add(sql);
        }
        if (stores.mongo() != null) {
            boolean embedded = settings.mongodbUri().isEmpty();
            reads.add(new MongoAdminReads(stores.mongo().client().getDatabase(settings.mongodbDatabase()), embedded,
                    embedded ? "embedded MongoDB (" + shown(settings.dataDir()) + ")" : "MongoDB"));
        }
        AdminView.install(context, settings.managementPort(), enabled ? new AdminCredentials(settings.adminToken()) : null,
                reads, sql, SvixPortal.of(settings.clerkApiUrl(), settings.clerkSecretKey()));
    }
}

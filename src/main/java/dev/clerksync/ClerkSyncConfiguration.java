package dev.clerksync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.clerksync.admin.AdminCredentials;
import dev.clerksync.admin.AdminStoreReads;
import dev.clerksync.admin.AdminView;
import dev.clerksync.admin.ChangeEventBacklog;
import dev.clerksync.admin.JsonValues;
import dev.clerksync.admin.MongoAdminReads;
import dev.clerksync.admin.SqlAdminReads;
import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.changes.ChangeEventRelay;
import dev.clerksync.changes.ChangeEventsMetrics;
import dev.clerksync.changes.KafkaChangeEventHeaders;
import dev.clerksync.changes.RabbitChangeEvents;
import dev.clerksync.changes.RelayLease;
import dev.clerksync.http.ClientAddresses;
import dev.clerksync.http.DeliveryMetrics;
import dev.clerksync.http.DeliveryResponder;
import dev.clerksync.http.ErrorResponder;
import dev.clerksync.http.PemTls;
import dev.clerksync.http.RateLimiter;
import dev.clerksync.http.RawRequestBodies;
import dev.clerksync.http.RequestDeadline;
import dev.clerksync.http.StoreWriteTimer;
import dev.clerksync.http.TransportAnswers;
import dev.clerksync.http.WebhookConnections;
import dev.clerksync.store.MongoCascades;
import dev.clerksync.store.MongoDocuments;
import dev.clerksync.store.MongoFollower;
import dev.clerksync.store.MongoStore;
import dev.clerksync.store.RelationalDecider;
import dev.clerksync.store.SqlParameters;
import dev.clerksync.store.SqlStore;
import dev.clerksync.store.StoreHealthCheck;
import dev.clerksync.verify.SvixSignatureVerifier;
import dev.clerksync.verify.WebhookSecrets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the beans the YAML routes refer to by name, opens the configured stores (running their
 * migrations) and leaves out the sink routes of stores that {@code SYNC_STORES} does not select.
 */
public final class ClerkSyncConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClerkSyncConfiguration.class);

    /** The follower when SYNC_STORES names one store: the deliver route then skips the follow step. */
    static final String NO_FOLLOWER = "none";

    /** Set to true by the backfill command: the stores and their routes, without the webhook endpoint. */
    public static final String BACKFILL = "clerk.backfill";

    private final MainConfigurationProperties main;
    private final String configBase;

    ClerkSyncConfiguration(MainConfigurationProperties main, String configBase) {
        this.main = main;
        this.configBase = configBase;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ClerkSyncSettings settings = ClerkSyncSettings.from(context.getPropertiesComponent());
        // The backfill command runs the store routes only: no webhook endpoint, no secret needed.
        boolean backfill = "true".equals(context.getPropertiesComponent().resolveProperty(BACKFILL).orElse("false"));
        if (backfill && !settings.usesPostgres()) {
            throw new InvalidConfigurationException("backfill needs the relational store: SYNC_STORES must name postgres "
                    + "(it decides each page in one transaction and keeps the run's checkpoints)");
        }
        checkChangeEvents(settings);
        WebhookSecrets secrets = backfill ? null : WebhookSecrets.parse(settings.webhookSecrets());
        // Before the stores open, so that a bad certificate stops start-up before any migration runs;
        // the webhook server takes these (camel.server.use-global-ssl-context-parameters), the
        // management server does not.
        Optional<SSLContextParameters> tls = backfill ? Optional.empty()
                : PemTls.fromSettings(settings.tlsCertificate(), settings.tlsKey());
        tls.ifPresent(context::setSSLContextParameters);

        Registry registry = context.getRegistry();
        MeterRegistry meters = sharedMeterRegistry(registry);
        Gauge.builder("clerk_sync_deliveries_in_flight", () -> context.getInflightRepository().size("webhook"))
                .description("Deliveries being processed now").register(meters);
        DeliveryMetrics metrics = new DeliveryMetrics(meters);

        List<String> excludedRoutes = new ArrayList<>();
        if (backfill) {
            excludedRoutes.add(excluded("webhook.camel.yaml"));
        } else {
            ClientAddresses clients = ClientAddresses.trusting(settings.trustedProxies());
            // Slow and crowding clients before their requests exist (docs/design.md decision 14).
            new WebhookConnections(settings.serverPort(), settings.headerTimeoutSeconds(), settings.idleTimeoutSeconds(),
                    settings.maxConnectionsPerAddress(), clients, metrics).install(context);
            RequestDeadline.install(context, settings.serverPort(), settings.requestTimeoutMs());
            RawRequestBodies.install(context, settings.serverPort());
            TransportAnswers.install(context, settings.serverPort(), metrics);
            registry.bind("rateLimiter", new RateLimiter(settings.rateLimit(), clients));
            registry.bind("svixSignatureVerifier", new SvixSignatureVerifier(secrets));
        }
        registry.bind("clerkEventParser", new ClerkEventParser());
        registry.bind("deliveryResponder", new DeliveryResponder(metrics));
        registry.bind("errorResponder", new ErrorResponder(settings.retryAfterSeconds(), metrics));
        context.getManagementStrategy().addEventNotifier(new StoreWriteTimer(metrics));
        // One decision per delivery: the relational store decides when it is configured, MongoDB
        // when it is the only store; with both, MongoDB follows (routes/deliver.camel.yaml).
        context.getPropertiesComponent().addOverrideProperty("clerk.sync.decider",
                settings.usesPostgres() ? ClerkSyncSettings.POSTGRES : ClerkSyncSettings.MONGODB);
        context.getPropertiesComponent().addOverrideProperty("clerk.sync.follower",
                settings.usesPostgres() && settings.usesMongodb() ? ClerkSyncSettings.MONGODB : NO_FOLLOWER);

        List<String> storeSummary = new ArrayList<>();
        OpenStores stores;
        try {
            stores = OpenStores.open(settings);
        } catch (Exception e) {
            throw DatabaseSetupFailures.explained(e, settings.databaseUrl());
        }
        if (stores.sql() != null) {
            SqlStore sql = stores.sql();
            context.addService(sql);
            registry.bind("clerkSyncDataSource", sql.dataSource());
            registry.bind("postgresHealth", new StoreHealthCheck(ClerkSyncSettings.POSTGRES, sql::isReachable));
            registry.bind("sqlParameters", new SqlParameters());
            registry.bind("relationalDecider", new RelationalDecider(sql.dataSource(), sql.dialect(),
                    settings.publishesChangeEvents(), settings.writers(), settings.maxBatch(), metrics::relationalBatch));
            // The SQL files are kept per dialect: PostgreSQL gets its best SQL, H2 its own.
            context.getPropertiesComponent().addOverrideProperty("clerk.sql.dialect", sql.dialect());
            storeSummary.add("postgres=" + sql.description());
            // Without a broker nothing is published: a pending count that only grows would alarm for nothing.
            if (!backfill && settings.publishesChangeEvents()) {
                ChangeEventsMetrics outbox = ChangeEventsMetrics.register(meters, sql.dataSource(), sql.dialect());
                // The admin view's status panel shows the same backlog (README "Admin view").
                ChangeEventBacklog backlog = () -> JsonValues.object()
                        .put("pending", outbox.pending())
                        .put("oldest_pending_age_seconds", outbox.oldestAgeSeconds())
                        .put("parked", outbox.parked());
                registry.bind(AdminView.BACKLOG_BEAN, ChangeEventBacklog.class, backlog);
            }
        } else {
            excludedRoutes.add(excluded("postgres-sink.camel.yaml"));
        }
        if (stores.mongo() != null) {
            MongoStore mongo = stores.mongo();
            context.addService(mongo);
            registry.bind("clerkSyncMongoClient", mongo.client());
            registry.bind("mongodbHealth", new StoreHealthCheck(ClerkSyncSettings.MONGODB, mongo::isReachable));
            MongoDocuments documents = new MongoDocuments();
            registry.bind("mongoDocuments", documents);
            registry.bind("mongoCascades", new MongoCascades());
            registry.bind("mongoFollower", new MongoFollower(context, documents, settings.writers(),
                    settings.maxBatch(), metrics::mongodbBatch));
            storeSummary.add("mongodb=" + mongo.description());
        } else {
            excludedRoutes.add(excluded("mongodb-sink.camel.yaml"));
        }
        if (!backfill && settings.publishesChangeEvents()) {
            bindRelay(context, settings, stores.sql().dialect());
        } else {
            excludedRoutes.add(excluded("change-events.camel.yaml"));
        }
        if (!excludedRoutes.isEmpty()) {
            main.setRoutesExcludePattern(String.join(",", excludedRoutes));
        }
        if (backfill) {
            LOG.info("clerk-sync backfill: stores: {}", String.join(", ", storeSummary));
            return;
        }
        installAdminView(context, settings, stores);
        context.addStartupListener(new StartupSummary(settings, tls.isPresent(),
                configBase.equals("classpath:") ? "the jar" : configBase.substring("file:".length()), secrets.count()));
    }

    /** Change events need the relational store's outbox. */
    private static void checkChangeEvents(ClerkSyncSettings settings) {
        if (settings.publishesChangeEvents() && !settings.usesPostgres()) {
            throw new InvalidConfigurationException("change events (RABBITMQ_URI or KAFKA_BOOTSTRAP_SERVERS) need the "
                    + "relational store, which writes them in the same transaction as each change: SYNC_STORES must name postgres");
        }
    }

    /** The beans of routes/change-events.camel.yaml. */
    private static void bindRelay(CamelContext context, ClerkSyncSettings settings, String dialect) throws Exception {
        RelayLease lease = "postgresql".equals(dialect)
                ? RelayLease.postgres(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword())
                : RelayLease.always();
        context.addService(lease);
        context.getRegistry().bind("relayLease", lease);
        context.getRegistry().bind("changeEventRelay", new ChangeEventRelay());
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
        SqlAdminReads sql = stores.sql() == null ? null : new SqlAdminReads(stores.sql().dataSource());
        if (sql != null) {
            reads.add(sql);
        }
        if (stores.mongo() != null) {
            reads.add(new MongoAdminReads(stores.mongo().client().getDatabase(settings.mongodbDatabase())));
        }
        AdminView.install(context, settings.managementPort(), enabled ? new AdminCredentials(settings.adminToken()) : null,
                reads, sql);
    }

    /**
     * The exclude pattern of one route file, whatever the location form Camel gives it: {@code
     * file:/…/routes/x.camel.yaml} from the repository root, a bare {@code routes/x.camel.yaml} for
     * the copies packed in the jar.
     */
    private static String excluded(String routeFile) {
        return "**/" + routeFile;
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

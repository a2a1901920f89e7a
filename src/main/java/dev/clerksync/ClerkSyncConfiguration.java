package dev.clerksync;

import java.util.ArrayList;
import java.util.List;

import dev.clerksync.event.ClerkEventParser;
import dev.clerksync.http.DeliveryResponder;
import dev.clerksync.http.ErrorResponder;
import dev.clerksync.store.MongoDocuments;
import dev.clerksync.store.MongoStore;
import dev.clerksync.store.SqlParameters;
import dev.clerksync.store.SqlStore;
import dev.clerksync.store.StoreOutcomes;
import dev.clerksync.store.SyncStores;
import dev.clerksync.verify.SvixSignatureVerifier;
import dev.clerksync.verify.WebhookSecrets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the beans the YAML routes refer to by name, opens the configured stores (running their
 * migrations) and leaves out the sink routes of stores that {@code SYNC_STORES} does not select.
 */
public final class ClerkSyncConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClerkSyncConfiguration.class);

    private final MainConfigurationProperties main;
    private final String configBase;

    ClerkSyncConfiguration(MainConfigurationProperties main, String configBase) {
        this.main = main;
        this.configBase = configBase;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        ClerkSyncSettings settings = ClerkSyncSettings.from(context.getPropertiesComponent());
        WebhookSecrets secrets = WebhookSecrets.parse(settings.webhookSecrets());

        Registry registry = context.getRegistry();
        registry.bind("svixSignatureVerifier", new SvixSignatureVerifier(secrets));
        registry.bind("clerkEventParser", new ClerkEventParser());
        registry.bind("deliveryResponder", new DeliveryResponder());
        registry.bind("errorResponder", new ErrorResponder(settings.retryAfterSeconds()));
        registry.bind("storeOutcomes", new StoreOutcomes());
        registry.bind("syncStores", new SyncStores(settings.stores()));

        List<String> excludedRoutes = new ArrayList<>();
        List<String> storeSummary = new ArrayList<>();
        if (settings.usesPostgres()) {
            SqlStore sql = SqlStore.open(settings);
            context.addService(sql);
            registry.bind("clerkSyncDataSource", sql.dataSource());
            registry.bind("sqlParameters", new SqlParameters());
            // The SQL files are kept per dialect: PostgreSQL gets its best SQL, H2 its own.
            context.getPropertiesComponent().addOverrideProperty("clerk.sql.dialect", sql.dialect());
            storeSummary.add("postgres=" + sql.description());
        } else {
            excludedRoutes.add(configBase + "routes/postgres-sink.camel.yaml");
        }
        if (settings.usesMongodb()) {
            MongoStore mongo = MongoStore.open(settings);
            context.addService(mongo);
            registry.bind("clerkSyncMongoClient", mongo.client());
            registry.bind("mongoDocuments", new MongoDocuments());
            storeSummary.add("mongodb=" + mongo.description());
        } else {
            excludedRoutes.add(configBase + "routes/mongodb-sink.camel.yaml");
        }
        if (!excludedRoutes.isEmpty()) {
            main.setRoutesExcludePattern(String.join(",", excludedRoutes));
        }
        LOG.info("clerk-sync configuration from {}: {} webhook secret(s); stores: {}",
                configBase, secrets.count(), String.join(", ", storeSummary));
    }
}

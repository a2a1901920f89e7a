package dev.clerksync.support;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stores and the service one test class runs against: a fresh PostgreSQL database
 * ({@link PostgresDatabase}), a MongoDB ({@link MongoTestServer}) and the service started on them
 * ({@link RunningService}), created before the class's first test and closed after its last, in
 * reverse order. Registered in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SyncStack stack = SyncStack.bothStores().with("camel.server.max-body-size", "4096");
 *
 * final PostgresDatabase postgres = stack.postgres();
 * final WebhookClient client = stack.client();
 * }</pre>
 *
 * <p>Instance fields can take their values from the stack as above because JUnit makes a test
 * instance per test, once the stack is up (with {@code @TestInstance(PER_CLASS)} the instance comes
 * first: read the stack in {@code @BeforeAll} instead). The class's own {@code @BeforeAll} methods
 * run after the stack is up and its {@code @AfterAll} methods before it is closed, so what a class
 * starts on top of the stack (relays, a service of its own) it closes there.
 */
public final class SyncStack implements BeforeAllCallback, AfterAllCallback {

    private final boolean withPostgres;
    private final boolean withMongo;
    private final Map<String, String> settings = new HashMap<>();
    private int instances = 1;

    /** What start() opened, the last opened first: closed in that order. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final List<RunningService> services = new ArrayList<>();
    private PostgresDatabase postgres;
    private MongoTestServer mongo;
    private WebhookClient client;
    /** The class that started the stack; a @Nested class inherits the field but must not start it again. */
    private String owner;

    private SyncStack(boolean withPostgres, boolean withMongo) {
        this.withPostgres = withPostgres;
        this.withMongo = withMongo;
    }

    /** PostgreSQL and MongoDB, the service writing both. */
    public static SyncStack bothStores() {
        return new SyncStack(true, true);
    }

    /** PostgreSQL alone, the service writing only it. */
    public static SyncStack postgresOnly() {
        return new SyncStack(true, false);
    }

    /** MongoDB alone, the service writing only it. */
    public static SyncStack mongodbOnly() {
        return new SyncStack(false, true);
    }

    /** A service setting, over the ones {@link RunningService#storeSettings} gives for the stores. */
    public SyncStack with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /** The stores only: for a class that starts the service its own way (through relays, from an edited copy). */
    public SyncStack withoutService() {
        return instances(0);
    }

    /** This many instances of the service sharing the stores, as replicas behind a load balancer would. */
    public SyncStack instances(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("instances: " + count);
        }
        this.instances = count;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner == null) {
            owner = context.getUniqueId();
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getUniqueId().equals(owner)) {
            owner = null;
            close();
        }
    }

    /** Opens the stores, then the services; when one fails, closes what is already open and rethrows. */
    void start() {
        try {
            if (withPostgres) {
                postgres = open(PostgresDatabase.create());
            }
            if (withMongo) {
                mongo = open(MongoTestServer.start());
            }
            for (int i = 0; i < instances; i++) {
                services.add(open(RunningService.start(postgres, mongo, settings)));
            }
            client = services.isEmpty() ? null : services.get(0).client();
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** Closes everything opened, newest first; every close is tried, the first failure is thrown. */
    void close() throws Exception {
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    public PostgresDatabase postgres() {
        return present(postgres, "no PostgreSQL database: the stack is MongoDB-only or not started");
    }

    public MongoTestServer mongo() {
        return present(mongo, "no MongoDB: the stack is PostgreSQL-only or not started");
    }

    /** The (first) service. */
    public RunningService service() {
        return service(0);
    }

    /** The service instance at this index, from 0 in the order they were started. */
    public RunningService service(int index) {
        if (index >= services.size()) {
            throw new IllegalStateException("no service instance " + index + ": " + services.size() + " started");
        }
        return services.get(index);
    }

    /** A client of the (first) service, signing with {@link RunningService#SECRET}. */
    public WebhookClient client() {
        return present(client, "no service: the stack was made without one or is not started");
    }

    private static <T> T present(T value, String otherwise) {
        if (value == null) {
            throw new IllegalStateException(otherwise);
        }
        return value;
    }
}

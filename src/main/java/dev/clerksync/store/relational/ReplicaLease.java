package dev.clerksync.store.relational;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets exactly one replica do a task when several share the stores (relay change events, run the
 * scheduled reconcile): a PostgreSQL session advisory lock, one key per task, held on a connection
 * of its own, outside the pool (a pooled connection would be handed to other work and recycled).
 * The lock lives as long as that connection, so a replica that is killed or cut off releases it
 * without anyone's help and another takes over when it next asks. It must reach PostgreSQL directly
 * or through a session-pooled PgBouncer (docs/scaling.md). See docs/design.md "Change events".
 */
public class ReplicaLease extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaLease.class);
    /** The change-event relay's lock key: any fixed number no other client of the database uses. */
    public static final long RELAY = 0x636c65726b5fL; // "clerk_"
    /** The scheduled reconcile's lock key. */
    public static final long RECONCILE = 0x636c65726b52L; // "clerkR"
    /** Run on the lease's own connection, not through the pool: the lock belongs to that session. */
    private static final SqlFile TRY_LOCK = SqlFile.load("sql/postgresql/replica-lock.sql");

    private final String task;
    private final String lock;
    private final long lockKey;
    private final String url;
    private final Properties credentials;
    private Connection connection;
    private boolean locked;

    /**
     * @param task what the lease lets a replica do, as log lines name it ("change events relay")
     * @param lock the lock's name in those lines ("relay": "holds the relay lock")
     */
    ReplicaLease(String task, String lock, long lockKey, String url, Properties credentials) {
        this.task = task;
        this.lock = lock;
        this.lockKey = lockKey;
        this.url = url;
        this.credentials = credentials;
    }

    /** The embedded store lives in one process: its task needs no lock. */
    public static ReplicaLease always(String task, String lock) {
        return new ReplicaLease(task, lock, 0, null, null) {
            private boolean started;

            @Override
            public synchronized boolean held() {
                if (!started) {
                    started = true;
                    LOG.info("{} starts: the embedded store has one process, no {} lock needed", task, lock);
                }
                return true;
            }

            @Override
            protected void doStop() {
                LOG.info("{} stops", task);
            }
        };
    }

    public static ReplicaLease postgres(String task, String lock, long lockKey, String url, String user, String password) {
        Properties credentials = new Properties();
        if (!user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        return new ReplicaLease(task, lock, lockKey, url, credentials);
    }

    /**
     * Whether this replica may do the task now: asked each time it would. The connection stays open
     * while another replica holds the lock, and the lock is tried again on it at each asking.
     */
    public synchronized boolean held() {
        try {
            if (connection == null || !connection.isValid(2)) {
                if (locked) {
                    LOG.warn("{} stops: lost the connection that held the {} lock", task, lock);
                }
                release();
                connection = DriverManager.getConnection(url, credentials);
            }
            if (!locked) {
                locked = Boolean.TRUE.equals(TRY_LOCK.queryOne(connection, Map.of("lockKey", lockKey)).get("locked"));
                if (locked) {
                    LOG.info("{} starts: this replica holds the {} lock", task, lock);
                }
            }
            return locked;
        } catch (SQLException e) {
            release();
            return false;
        }
    }

    private void release() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
            connection = null;
        }
        locked = false;
    }

    @Override
    protected void doStop() {
        synchronized (this) {
            if (locked) {
                LOG.info("{} stops: releasing the {} lock", task, lock);
            }
            release();
        }
    }
}

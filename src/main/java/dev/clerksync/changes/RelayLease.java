package dev.clerksync.changes;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import dev.clerksync.store.relational.SqlFile;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets exactly one replica relay change events when several share the stores: a PostgreSQL
 * session advisory lock held on a connection of its own, outside the pool (a pooled connection
 * would be handed to other work and recycled). The lock lives as long as that connection, so a
 * replica that is killed or cut off releases it without anyone's help and another takes over at
 * its next poll. See docs/design.md "Change events".
 */
public class RelayLease extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLease.class);
    /** The advisory lock's key: any fixed number no other client of the database uses. */
    static final long LOCK_KEY = 0x636c65726b5fL; // "clerk_"
    /** Run on the lease's own connection, not through the pool: the lock belongs to that session. */
    private static final SqlFile TRY_LOCK = SqlFile.load("sql/postgresql/relay-lock.sql");

    private final String url;
    private final Properties credentials;
    private Connection connection;
    private boolean locked;

    RelayLease(String url, Properties credentials) {
        this.url = url;
        this.credentials = credentials;
    }

    /** The embedded store lives in one process: its relay needs no lock. */
    public static RelayLease always() {
        return new RelayLease(null, null) {
            private boolean started;

            @Override
            public synchronized boolean held() {
                if (!started) {
                    started = true;
                    LOG.info("change events relay starts: the embedded store has one process, no relay lock needed");
                }
                return true;
            }

            @Override
            protected void doStop() {
                LOG.info("change events relay stops");
            }
        };
    }

    public static RelayLease postgres(String url, String user, String password) {
        Properties credentials = new Properties();
        if (!user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        return new RelayLease(url, credentials);
    }

    /**
     * Whether this replica may relay now: checked at every poll. The connection stays open while
     * another replica holds the lock, and the lock is tried again on it at each poll.
     */
    public synchronized boolean held() {
        try {
            if (connection == null || !connection.isValid(2)) {
                if (locked) {
                    LOG.warn("change events relay stops: lost the connection that held the relay lock");
                }
                release();
                connection = DriverManager.getConnection(url, credentials);
            }
            if (!locked) {
                locked = Boolean.TRUE.equals(TRY_LOCK.queryOne(connection, Map.of("lockKey", LOCK_KEY)).get("locked"));
                if (locked) {
                    LOG.info("change events relay starts: this replica holds the relay lock");
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
                LOG.info("change events relay stops: releasing the relay lock");
            }
            release();
        }
    }
}

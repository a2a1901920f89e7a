package dev.clerksync.store.relational;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The relational store's side of the stores' identity (migration V10): which deployment's history
 * it holds, and whether it holds any. {@code StoreIdentity} decides what to do with the answers.
 */
public final class RelationalDeployment {

    private static final SqlFile DEPLOYMENT_ID = SqlFile.load("sql/identity/deployment-id.sql");
    private static final SqlFile HAS_HISTORY = SqlFile.load("sql/identity/has-history.sql");

    private final DataSource dataSource;
    private final SqlFile record;

    public RelationalDeployment(DataSource dataSource, String dialect) {
        this.dataSource = dataSource;
        this.record = SqlFile.load("sql/" + dialect + "/record-deployment-id.sql");
    }

    /** The deployment id written at the first start; null before it. */
    public String deploymentId() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Object> row = DEPLOYMENT_ID.queryOne(connection, Map.of());
            return row == null ? null : (String) row.get("deployment_id");
        }
    }

    /** The audit log holds a delivery: the store has a history of its own. */
    public boolean hasHistory() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return HAS_HISTORY.queryOne(connection, Map.of()) != null;
        }
    }

    /**
     * Records {@code proposed} unless an id is there already (a replica starting at the same moment
     * wrote its own first); the id the store holds afterwards.
     */
    public String record(String proposed) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            record.update(connection, Map.of("deploymentId", proposed));
        }
        return deploymentId();
    }
}

package dev.clerksync;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.clerksync.store.document.MongoStore;
import dev.clerksync.store.relational.SqlStore;

/**
 * The stores SYNC_STORES selects, opened at the same time (pool, migrations, indexes): start-up
 * waits for the slower of the two rather than for both one after the other. When one fails, the
 * other is closed and the first failure is thrown as it was.
 */
record OpenStores(SqlStore sql, MongoStore mongo) {

    static OpenStores open(ClerkSyncSettings settings) throws Exception {
        CompletableFuture<SqlStore> sqlOpening = settings.usesPostgres()
                ? CompletableFuture.supplyAsync(() -> {
                    try {
                        return SqlStore.open(settings);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                })
                : CompletableFuture.completedFuture(null);
        MongoStore mongo;
        try {
            mongo = settings.usesMongodb() ? MongoStore.open(settings) : null;
        } catch (Exception e) {
            sqlOpening.thenAccept(sql -> {
                if (sql != null) {
                    sql.close();
                }
            });
            throw e;
        }
        try {
            return new OpenStores(sqlOpening.join(), mongo);
        } catch (CompletionException e) {
            if (mongo != null) {
                mongo.close();
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}

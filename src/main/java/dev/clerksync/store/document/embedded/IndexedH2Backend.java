package dev.clerksync.store.document.embedded;

import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

/**
 * The engine of the service's embedded MongoDB-wire server: mongo-java-server's H2 (MVStore)
 * backend on a file, with {@code _id} lookups for the guarded writes ({@link IdPinnedIndex}). The
 * file format is mongo-java-server's own: a file written without this class opens as it was.
 */
public final class IndexedH2Backend extends H2Backend {

    private IndexedH2Backend(MVStore mvStore) {
        super(mvStore);
        // The 5.x driver refuses the server's default wire version.
        version(ServerVersion.MONGO_5_0);
    }

    /** Data kept in {@code file} (created when missing). */
    public static IndexedH2Backend onFile(String file) {
        return new IndexedH2Backend(MVStore.open(file));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    private static final class Database extends H2Database {

        Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
            super(databaseName, mvStore, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            return IdPinnedIndex.wrapIfIdIndex(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse));
        }
    }
}

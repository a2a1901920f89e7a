package dev.clerksync.store.document.embedded;

import java.util.List;

import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/**
 * mongo-java-server's in-memory backend with the same {@code _id} lookups as the embedded engine
 * ({@link IdPinnedIndex}): the MongoDB-wire server of the tests and of the benchmark, where nothing
 * needs to outlive the process.
 */
public final class IndexedMemoryBackend extends MemoryBackend {

    public IndexedMemoryBackend() {
        // The 5.x driver refuses the server's default wire version.
        version(ServerVersion.MONGO_5_0);
    }

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getCursorRegistry());
    }

    private static final class Database extends MemoryDatabase {

        Database(String databaseName, CursorRegistry cursorRegistry) {
            super(databaseName, cursorRegistry);
        }

        @Override
        protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            return IdPinnedIndex.wrapIfIdIndex(super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse));
        }
    }
}

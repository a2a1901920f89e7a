package dev.clerksync.store.document;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.Document;

/**
 * One unordered bulk write and what became of each of its items. The driver names every failed
 * item by index (a {@link MongoBulkWriteException}); an item without an error was written. A
 * failure of the store itself (unreachable, timed out, a write concern error, which says nothing of
 * one item) is thrown as the driver's exception, for the deliver route's store retries.
 */
public final class MongoBulk {

    static final int DUPLICATE_KEY = 11000;

    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

    private final Map<Integer, BulkWriteError> errors;
    private final MongoBulkWriteException failure;

    private MongoBulk(Map<Integer, BulkWriteError> errors, MongoBulkWriteException failure) {
        this.errors = errors;
        this.failure = failure;
    }

    /** Writes the models in the collection, in no particular order: the caller never gives two for one document. */
    public static MongoBulk write(MongoDatabase database, String collection, List<WriteModel<Document>> models) {
        if (models.isEmpty()) {
            return new MongoBulk(Map.of(), null);
        }
        try {
            database.getCollection(collection).bulkWrite(models, UNORDERED);
            return new MongoBulk(Map.of(), null);
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null || e.getWriteErrors().isEmpty()) {
                throw e;
            }
            Map<Integer, BulkWriteError> byIndex = new HashMap<>();
            e.getWriteErrors().forEach(error -> byIndex.put(error.getIndex(), error));
            return new MongoBulk(byIndex, e);
        }
    }

    /** Item {@code index} was written. */
    public boolean written(int index) {
        return !errors.containsKey(index);
    }

    /** Item {@code index} met a duplicate key: its guard did not match a stored document, or its _id exists. */
    public boolean duplicate(int index) {
        BulkWriteError error = errors.get(index);
        return error != null && error.getCode() == DUPLICATE_KEY;
    }

    /** Item {@code index}'s own error, as a write of that item alone would have thrown it. */
    public MongoWriteException failureOf(int index) {
        return new MongoWriteException(errors.get(index), failure.getServerAddress(), failure.getErrorLabels());
    }
}

package dev.clerksync.store.document.embedded;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * The {@code _id} index of a collection in the embedded MongoDB-wire server, made to answer every
 * query that fixes {@code _id} to one value, whatever else the query asks.
 *
 * <p>mongo-java-server uses an index only for a query whose keys are exactly the index's keys; the
 * service's guarded writes filter on {@code _id} plus an ordering condition, so without this every
 * write scanned the whole {@code users} collection under its lock, and got slower with every user
 * stored. A top-level {@code _id} equality is a conjunct of the query: the one document with that
 * {@code _id} is the only candidate, and the server still checks the whole query against it, as a
 * real MongoDB does when it plans such a query on {@code _id}.
 */
final class IdPinnedIndex<P> extends Index<P> {

    private static final String ID = "_id";

    private final Index<P> idIndex;

    private IdPinnedIndex(Index<P> idIndex) {
        super(idIndex.getName(), idIndex.getKeys(), false);
        this.idIndex = idIndex;
    }

    /** Wraps the index if it is the unique index on {@code _id} alone; returns any other as it is. */
    static <P> Index<P> wrapIfIdIndex(Index<P> index) {
        List<IndexKey> keys = index.getKeys();
        boolean idOnly = keys.size() == 1 && ID.equals(keys.get(0).getKey());
        return idOnly && index.isUnique() ? new IdPinnedIndex<>(index) : index;
    }

    @Override
    public boolean canHandle(Document query) {
        return idIndex.canHandle(query) || (query.containsKey(ID) && isSingleValue(query.get(ID)));
    }

    /**
     * True for a value that {@code _id} must equal; false for operators ({@code $gt}, {@code $in},
     * …), sub-documents, arrays and patterns, which are left to the server's own planning.
     */
    static boolean isSingleValue(Object value) {
        return value != null
                && !(value instanceof Document)
                && !(value instanceof Collection)
                && !(value instanceof Pattern)
                && !(value instanceof BsonRegularExpression);
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        if (idIndex.canHandle(query)) {
            return idIndex.getPositions(query);
        }
        return idIndex.getPositions(new Document(ID, query.get(ID)));
    }

    @Override
    public P getPosition(Document document) {
        return idIndex.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        idIndex.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        idIndex.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return idIndex.remove(document);
    }

    @Override
    public long getCount() {
        return idIndex.getCount();
    }

    @Override
    public long getDataSize() {
        return idIndex.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        idIndex.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
            throws KeyConstraintError {
        idIndex.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        idIndex.drop();
    }

    @Override
    public boolean isUnique() {
        return true;
    }
}

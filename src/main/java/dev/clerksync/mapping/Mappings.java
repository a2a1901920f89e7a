package dev.clerksync.mapping;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.mongodb.client.MongoDatabase;
import dev.clerksync.admin.MappedReads;
import dev.clerksync.store.document.MongoWriter;
import dev.clerksync.store.relational.CascadeWork;
import dev.clerksync.store.relational.RelationalDecider;

/**
 * The mappings of {@code MAPPINGS_DIR} (contract §11), read and checked against the stores at
 * start-up ({@link MappingFiles}, {@link MappingCheck}: a mapping that cannot work stops every
 * command with one line), and their writes, hooked into the stores' writers: the decider's
 * transaction and the chunks of deferred cascades ({@link RelationalMappings}), the document writer's
 * rounds and its share of those chunks ({@link DocumentMappings}).
 */
public final class Mappings {

    private final List<MappedTable> tables;
    private final List<MappedCollection> collections;
    private final DataSource dataSource;
    private final MongoDatabase mongo;

    private Mappings(List<MappedTable> tables, List<MappedCollection> collections, DataSource dataSource, MongoDatabase mongo) {
        this.tables = tables;
        this.collections = collections;
        this.dataSource = dataSource;
        this.mongo = mongo;
    }

    /**
     * Reads and checks the folder's mappings against the open stores ({@code dataSource} null: no
     * relational store; {@code mongo} null: no document store); throws InvalidConfigurationException.
     */
    public static Mappings load(Path folder, DataSource dataSource, String dialect, MongoDatabase mongo) {
        List<Mapping> mappings = MappingFiles.read(folder);
        MappingCheck check = new MappingCheck(dataSource, dialect, mongo);
        return new Mappings(check.tables(mappings), check.collections(mappings), dataSource, mongo);
    }

    /** Hooks the mapped writes into the writers that exist (any may be null). */
    public void install(RelationalDecider decider, MongoWriter writer, CascadeWork cascades) {
        RelationalMappings relational = new RelationalMappings(tables);
        if (decider != null && !tables.isEmpty()) {
            decider.afterDecisions(relational);
        }
        if (cascades != null && !tables.isEmpty()) {
            cascades.afterChunk(relational);
        }
        if (writer != null && !collections.isEmpty()) {
            writer.hooks(new DocumentMappings(mongo, collections));
        }
    }

    /** The admin view's reads of a record's mapped rows and documents. */
    public MappedReads reads() {
        return isEmpty() ? MappedReads.NONE : new MappedRecords(tables, collections, dataSource, mongo);
    }

    /** The ids of the mappings that have a target in a configured store. */
    public Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>();
        tables.forEach(table -> ids.add(table.mapping().id()));
        collections.forEach(collection -> ids.add(collection.mapping().id()));
        return ids;
    }

    public boolean isEmpty() {
        return tables.isEmpty() && collections.isEmpty();
    }

    List<MappedTable> tables() {
        return tables;
    }

    List<MappedCollection> collections() {
        return collections;
    }

    MongoDatabase mongo() {
        return mongo;
    }
}

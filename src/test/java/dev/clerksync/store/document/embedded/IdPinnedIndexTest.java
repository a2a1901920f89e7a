package dev.clerksync.store.document.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdPinnedIndexTest {

    private static Index<Integer> idIndexOver(String... ids) {
        Index<Integer> index = new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)), false);
        for (int position = 0; position < ids.length; position++) {
            index.add(new Document("_id", ids[position]), position, null);
        }
        return index;
    }

    /** The shape of the service's guarded user write (MongoDocuments.userUpsert). */
    private static Document guardedFilter(String id) {
        return new Document("_id", id).append("$or", List.of(
                new Document("lastEventAt", new Document("$lt", new Date(5))).append("deletedAt", null),
                new Document("lastEventId", "msg_1")));
    }

    @Test
    void aGuardedWriteFilterIsAnsweredFromTheIdIndexAlone() {
        Index<Integer> plain = idIndexOver("user_a", "user_b", "user_c");
        Index<Integer> pinned = IdPinnedIndex.wrapIfIdIndex(plain);

        assertThat(plain.canHandle(guardedFilter("user_b"))).as("mongo-java-server's own rule: a full scan").isFalse();
        assertThat(pinned.canHandle(guardedFilter("user_b"))).isTrue();
        assertThat(pinned.getPositions(guardedFilter("user_b"))).containsExactly(1);
        assertThat(pinned.getPositions(guardedFilter("user_new"))).isEmpty();
        assertThat(pinned.getPositions(new Document("_id", "user_c"))).containsExactly(2);
    }

    @Test
    void queriesThatDoNotFixIdToOneValueAreLeftToTheServer() {
        Index<Integer> pinned = IdPinnedIndex.wrapIfIdIndex(idIndexOver("user_a"));

        assertThat(pinned.canHandle(new Document("email", "a@example.com"))).isFalse();
        assertThat(pinned.canHandle(new Document("_id", new Document("$gt", "user_")).append("deletedAt", null))).isFalse();
        assertThat(pinned.canHandle(new Document("_id", List.of("user_a")).append("deletedAt", null))).isFalse();
        assertThat(pinned.canHandle(new Document("_id", Pattern.compile("^user")).append("deletedAt", null))).isFalse();
        assertThat(pinned.canHandle(new Document("_id", null).append("deletedAt", null))).isFalse();
    }

    @Test
    void onlyTheUniqueIdIndexIsWrapped() {
        Index<Integer> email = new MemoryUniqueIndex("email_1", List.of(new IndexKey("email", true)), false);
        assertThat(IdPinnedIndex.wrapIfIdIndex(email)).isSameAs(email);
        assertThat(IdPinnedIndex.wrapIfIdIndex(idIndexOver())).isInstanceOf(IdPinnedIndex.class);
    }

    @Test
    void theEmbeddedEngineOnFileAnswersGuardedWritesExactlyAsAFullScanDoes(@TempDir Path dir) {
        assertSameAnswersAsAFullScan(IndexedH2Backend.onFile(dir.resolve("mongodb.mv").toString()));
    }

    @Test
    void theInMemoryEngineAnswersGuardedWritesExactlyAsAFullScanDoes() {
        assertSameAnswersAsAFullScan(new IndexedMemoryBackend());
    }

    /**
     * The same random guarded upserts, through the real driver, against an engine with {@code _id}
     * lookups and against mongo-java-server's plain in-memory engine (full scans): every answer and
     * the final collection must be the same.
     */
    private static void assertSameAnswersAsAFullScan(MongoBackend engine) {
        MongoServer embedded = new MongoServer(engine);
        MongoServer reference = new MongoServer(new MemoryBackend().version(ServerVersion.MONGO_5_0));
        try (MongoClient embeddedClient = MongoClients.create(embedded.bindAndGetConnectionString());
             MongoClient referenceClient = MongoClients.create(reference.bindAndGetConnectionString())) {
            MongoCollection<org.bson.Document> users = embeddedClient.getDatabase("t").getCollection("users");
            MongoCollection<org.bson.Document> expected = referenceClient.getDatabase("t").getCollection("users");
            Random random = new Random(42);
            List<String> answers = new ArrayList<>();
            List<String> expectedAnswers = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                String id = "user_" + random.nextInt(40);
                long clock = random.nextInt(200);
                boolean delete = random.nextInt(10) == 0;
                String svixId = "msg_" + random.nextInt(500);
                org.bson.Document filter = new org.bson.Document("_id", id).append("$or", List.of(
                        delete ? new org.bson.Document("deletedAt", null)
                                : new org.bson.Document("lastEventAt", new org.bson.Document("$lt", new Date(clock)))
                                        .append("deletedAt", null),
                        new org.bson.Document("lastEventId", svixId)));
                org.bson.Document set = new org.bson.Document("lastEventAt", new Date(clock)).append("lastEventId", svixId);
                if (delete) {
                    set.append("deletedAt", new Date(clock));
                }
                org.bson.Document update = new org.bson.Document("$set", set);
                answers.add(upsert(users, filter, update));
                expectedAnswers.add(upsert(expected, filter, update));
            }
            assertThat(answers).isEqualTo(expectedAnswers);
            assertThat(answers).anyMatch(a -> a.startsWith("applied")).anyMatch(a -> a.equals("stale"));
            assertThat(users.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()))
                    .isEqualTo(expected.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
            assertThat(users.countDocuments(Filters.gt("_id", "user_3"))).isEqualTo(expected.countDocuments(Filters.gt("_id", "user_3")));
        } finally {
            embedded.shutdownNow();
            reference.shutdownNow();
        }
    }

    private static String upsert(MongoCollection<org.bson.Document> collection, org.bson.Document filter,
            org.bson.Document update) {
        try {
            UpdateResult result = collection.updateOne(filter, update, new UpdateOptions().upsert(true));
            return "applied matched=" + result.getMatchedCount() + " upserted=" + (result.getUpsertedId() != null);
        } catch (MongoWriteException e) {
            assertThat(e.getCode()).isEqualTo(11000);
            return "stale";
        }
    }
}

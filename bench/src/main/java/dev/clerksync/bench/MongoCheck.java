package dev.clerksync.bench;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import org.bson.Document;
import org.bson.conversions.Bson;

/** Reads the run's users and audit entries back from MongoDB (contract §4) for the comparison. */
final class MongoCheck {

    private final String uri;
    private final String database;

    MongoCheck(String uri, String database) {
        this.uri = uri;
        this.database = database;
    }

    Verification verify(Map<String, ExpectedUser> expected, String userPrefix, String svixPrefix, long auditExpected) {
        try (MongoClient client = MongoClients.create(uri)) {
            MongoDatabase db = client.getDatabase(database);
            Map<String, ExpectedUser> users = new HashMap<>();
            db.getCollection("users")
                    .find(startsWith(userPrefix))
                    .projection(Projections.include("firstName", "email", "updatedAt", "deletedAt"))
                    .forEach(doc -> users.put(doc.getString("_id"), stored(doc)));
            long audit = db.getCollection("audit_log").countDocuments(startsWith(svixPrefix));
            return Verification.compare("mongodb", expected, users, auditExpected, audit);
        }
    }

    private static Bson startsWith(String prefix) {
        return Filters.regex("_id", "^" + Pattern.quote(prefix));
    }

    private static ExpectedUser stored(Document doc) {
        return new ExpectedUser(doc.getString("firstName"), doc.getString("email"),
                millis(doc.getDate("updatedAt")), millis(doc.getDate("deletedAt")));
    }

    private static Long millis(Date time) {
        return time == null ? null : time.getTime();
    }
}

package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.WebhookClient.Response;
import org.bson.Document;

/**
 * The "one answer, one decision" rules, checked over the answers a test collected: per svix-id,
 * exactly one request answered with an outcome (every other one {@code duplicate}), and that outcome
 * is the one each configured store's audit log holds for it.
 */
public final class Decisions {

    private final Map<String, List<String>> answers = new HashMap<>();

    /** Records the answer of one request for this svix-id; the request must have been answered 200. */
    public synchronized void answered(String svixId, Response response) {
        assertThat(response.status()).as("answer to %s: %s", svixId, response.body()).isEqualTo(200);
        answers.computeIfAbsent(svixId, id -> new ArrayList<>()).add(response.field("status"));
    }

    /** Each svix-id's one outcome answer, asserting that there is exactly one. */
    public Map<String, String> outcomes() {
        Map<String, String> outcomes = new HashMap<>();
        answers.forEach((svixId, statuses) -> {
            List<String> decided = statuses.stream().filter(status -> !status.equals("duplicate")).toList();
            assertThat(decided).as("outcome answers for %s (all answers %s)", svixId, statuses).hasSize(1);
            outcomes.put(svixId, decided.get(0));
        });
        return outcomes;
    }

    /**
     * For deliveries whose answering process may have died: each svix-id has at most one outcome
     * answer (a killed replica may have completed a delivery and died before answering it), and
     * every store audited each one with the same outcome, equal to that answer when there was one.
     */
    public void assertAtMostOneOutcomeAndStoresAgree(PostgresDatabase postgres, MongoTestServer mongo) {
        Map<String, String> inPostgres = new HashMap<>();
        for (Map<String, Object> row : postgres.query("SELECT event_id, outcome FROM audit_log")) {
            inPostgres.put((String) row.get("event_id"), (String) row.get("outcome"));
        }
        Map<String, String> inMongo = new HashMap<>();
        for (Document entry : mongo.database().getCollection("audit_log").find()) {
            inMongo.put(entry.getString("_id"), entry.getString("outcome"));
        }
        answers.forEach((svixId, statuses) -> {
            List<String> decided = statuses.stream().filter(status -> !status.equals("duplicate")).toList();
            assertThat(decided).as("outcome answers for %s (all answers %s)", svixId, statuses).hasSizeLessThanOrEqualTo(1);
            assertThat(inPostgres.get(svixId)).as("PostgreSQL audit of %s", svixId).isNotNull();
            assertThat(inMongo.get(svixId)).as("MongoDB audit of %s", svixId).isEqualTo(inPostgres.get(svixId));
            if (!decided.isEmpty()) {
                assertThat(decided.get(0)).as("the answer of %s", svixId).isEqualTo(inPostgres.get(svixId));
            }
        });
    }

    /** How many svix-ids were answered with their outcome (the rest only with duplicate). */
    public long withOutcomeAnswer() {
        return answers.values().stream().filter(statuses -> statuses.stream().anyMatch(s -> !s.equals("duplicate"))).count();
    }

    /** Every store given (null for one not configured) audited each svix-id once, with its one answered outcome. */
    public Map<String, String> assertAuditedAsAnswered(PostgresDatabase postgres, MongoTestServer mongo) {
        Map<String, String> outcomes = outcomes();
        if (postgres != null) {
            Map<String, String> audited = new HashMap<>();
            for (Map<String, Object> row : postgres.query("SELECT event_id, outcome FROM audit_log")) {
                audited.put((String) row.get("event_id"), (String) row.get("outcome"));
            }
            outcomes.forEach((svixId, outcome) ->
                    assertThat(audited.get(svixId)).as("PostgreSQL audit of %s", svixId).isEqualTo(outcome));
        }
        if (mongo != null) {
            Map<String, String> audited = new HashMap<>();
            for (Document entry : mongo.database().getCollection("audit_log").find()) {
                audited.put(entry.getString("_id"), entry.getString("outcome"));
            }
            outcomes.forEach((svixId, outcome) ->
                    assertThat(audited.get(svixId)).as("MongoDB audit of %s", svixId).isEqualTo(outcome));
        }
        return outcomes;
    }
}

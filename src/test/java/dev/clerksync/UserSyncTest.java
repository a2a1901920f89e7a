package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.StoredUser;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sync rules of docs/how-it-works.md, each asserted on the exact state of both stores: ordering by the
 * event's clock, deletion that is final, exactly-once per svix-id, and values no store takes as
 * they are.
 */
class UserSyncTest {

    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;
    static final long T3 = T2 + 60_000;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores();

    final PostgresDatabase postgres = stack.postgres();
    final MongoTestServer mongo = stack.mongo();
    final WebhookClient client = stack.client();

    @Test
    void without_a_broker_changes_count_their_seq_but_write_no_change_event() {
        client.send(ClerkEvents.user("user.created", "user_no_broker", T1).json());
        client.send(ClerkEvents.user("user.updated", "user_no_broker", T2).json());

        assertThat(postgres.query("SELECT change_seq FROM users WHERE id = ?", "user_no_broker"))
                .containsExactly(Map.of("change_seq", 2L));
        assertThat(postgres.count("SELECT count(*) FROM change_events WHERE subject = ?", "user_no_broker")).isZero();
    }

    @Test
    void a_created_user_lands_in_both_stores_with_its_primary_email() throws Exception {
        String payload = ClerkEvents.fixture("variants/received-2024/user.created.json");
        JsonNode user = new ObjectMapper().readTree(payload).get("data");
        String id = user.get("id").asText();

        assertThat(client.send(payload).field("status")).isEqualTo("applied");

        Instant updatedAt = Instant.ofEpochMilli(user.get("updated_at").asLong());
        StoredUser expected = new StoredUser(id, "doo@paragraph.ink", null, user.get("first_name").asText(),
                user.get("last_name").asText(), null, user.get("image_url").asText(),
                Instant.ofEpochMilli(user.get("created_at").asLong()), updatedAt, null, updatedAt, true);
        assertThat(StoredUser.inPostgres(postgres, id)).isEqualTo(expected);
        assertThat(StoredUser.inMongo(mongo, id)).isEqualTo(expected);
        assertThat(postgres.query("SELECT data = CAST(? AS jsonb) AS same FROM users WHERE id = ?", user.toString(), id))
                .containsExactly(Map.of("same", true));
        Document data = mongo.database().getCollection("users").find(Filters.eq("_id", id)).first().get("data", Document.class);
        assertThat(data.toJson()).isEqualTo(Document.parse(user.toString()).toJson());
    }

    @Test
    void the_primary_email_is_the_one_its_id_names_not_the_first() {
        ClerkEvents event = ClerkEvents.user("user.created", "user_primary", T1);
        ObjectNode second = event.data().withArray("email_addresses").addObject();
        second.put("id", "idn_second").put("object", "email_address").put("email_address", "second@example.com");
        event.data().put("primary_email_address_id", "idn_second");

        client.send(event.json());

        assertThat(StoredUser.inPostgres(postgres, "user_primary").email()).isEqualTo("second@example.com");
        assertThat(StoredUser.inMongo(mongo, "user_primary").email()).isEqualTo("second@example.com");
    }

    @Test
    void a_user_without_a_primary_email_has_none() {
        ClerkEvents event = ClerkEvents.user("user.created", "user_no_primary", T1);
        event.data().putNull("primary_email_address_id");

        client.send(event.json());

        assertThat(StoredUser.inPostgres(postgres, "user_no_primary").email()).isNull();
        assertThat(StoredUser.inMongo(mongo, "user_no_primary").email()).isNull();
    }

    @Test
    void a_newer_update_replaces_the_user() {
        client.send(ClerkEvents.user("user.created", "user_newer", T1).firstName("Ana").json());

        String status = client.send(ClerkEvents.user("user.updated", "user_newer", T2).firstName("Anna").json()).field("status");

        assertThat(status).isEqualTo("applied");
        assertBothStores("user_newer", StoredUser.live("user_newer", "user_newer@example.com", "Anna", T2));
    }

    @Test
    void an_update_with_the_same_or_an_older_clock_is_stale_and_changes_nothing() {
        client.send(ClerkEvents.user("user.created", "user_older", T2).firstName("Kept").json());

        assertThat(client.send(ClerkEvents.user("user.updated", "user_older", T1).firstName("Older").json()).field("status"))
                .isEqualTo("stale");
        assertThat(client.send(ClerkEvents.user("user.updated", "user_older", T2).firstName("Same").json()).field("status"))
                .isEqualTo("stale");

        assertBothStores("user_older", StoredUser.live("user_older", "user_older@example.com", "Kept", T2));
        assertThat(postgres.query("SELECT outcome FROM audit_log WHERE subject_id = 'user_older' ORDER BY received_at"))
                .extracting(row -> row.get("outcome")).containsExactly("applied", "stale", "stale");
    }

    @Test
    void an_update_that_arrives_before_the_create_wins_over_it() {
        client.send(ClerkEvents.user("user.updated", "user_early", T2).firstName("Updated").json());

        String created = client.send(ClerkEvents.user("user.created", "user_early", T1).firstName("Created").json()).field("status");

        assertThat(created).isEqualTo("stale");
        assertBothStores("user_early", StoredUser.live("user_early", "user_early@example.com", "Updated", T2));
    }

    @Test
    void two_updates_delivered_swapped_end_in_the_newer_one() {
        client.send(ClerkEvents.user("user.created", "user_swapped", T1).firstName("First").json());
        client.send(ClerkEvents.user("user.updated", "user_swapped", T3).firstName("Third").json());

        String second = client.send(ClerkEvents.user("user.updated", "user_swapped", T2).firstName("Second").json()).field("status");

        assertThat(second).isEqualTo("stale");
        assertBothStores("user_swapped", StoredUser.live("user_swapped", "user_swapped@example.com", "Third", T3));
    }

    @Test
    void a_delete_removes_every_personal_column_and_field() {
        client.send(ClerkEvents.user("user.created", "user_gone", T1).json());

        String status = client.send(ClerkEvents.deleted("user_gone", T2).json()).field("status");

        assertThat(status).isEqualTo("applied");
        assertThat(StoredUser.inPostgres(postgres, "user_gone")).isEqualTo(StoredUser.tombstone("user_gone", T2));
        assertThat(StoredUser.inMongo(mongo, "user_gone")).isEqualTo(StoredUser.tombstone("user_gone", T2));
        Document stored = mongo.database().getCollection("users").find(Filters.eq("_id", "user_gone")).first();
        assertThat(stored.keySet()).containsExactlyInAnyOrder("_id", "deletedAt", "lastEventAt", "lastEventId");
    }

    @Test
    void no_event_brings_a_deleted_user_back_whatever_its_clock() {
        client.send(ClerkEvents.user("user.created", "user_final", T1).json());
        client.send(ClerkEvents.deleted("user_final", T2).json());

        List<String> later = List.of(
                client.send(ClerkEvents.user("user.updated", "user_final", T3).json()).field("status"),
                client.send(ClerkEvents.user("user.created", "user_final", T3 + 1).json()).field("status"),
                client.send(ClerkEvents.user("user.updated", "user_final", T1 - 1).json()).field("status"),
                client.send(ClerkEvents.deleted("user_final", T3).json()).field("status"));

        assertThat(later).containsOnly("stale");
        assertThat(StoredUser.inPostgres(postgres, "user_final")).isEqualTo(StoredUser.tombstone("user_final", T2));
        assertThat(StoredUser.inMongo(mongo, "user_final")).isEqualTo(StoredUser.tombstone("user_final", T2));
    }

    @Test
    void a_delete_before_any_other_event_leaves_a_tombstone_that_wins() {
        assertThat(client.send(ClerkEvents.deleted("user_tomb", T2).json()).field("status")).isEqualTo("applied");

        assertThat(client.send(ClerkEvents.user("user.created", "user_tomb", T3).json()).field("status")).isEqualTo("stale");

        assertThat(StoredUser.inPostgres(postgres, "user_tomb")).isEqualTo(StoredUser.tombstone("user_tomb", T2));
        assertThat(StoredUser.inMongo(mongo, "user_tomb")).isEqualTo(StoredUser.tombstone("user_tomb", T2));
    }

    @Test
    void an_envelope_timestamp_in_seconds_is_read_as_seconds() {
        ClerkEvents delete = ClerkEvents.deleted("user_seconds", T1);
        delete.event().put("timestamp", T1 / 1000);

        client.send(delete.json());

        assertThat(StoredUser.inPostgres(postgres, "user_seconds").deletedAt()).isEqualTo(Instant.ofEpochMilli(T1));
        assertThat(StoredUser.inMongo(mongo, "user_seconds").deletedAt()).isEqualTo(Instant.ofEpochMilli(T1));
    }

    @Test
    void a_svix_id_is_applied_and_audited_once_per_store() {
        String id = WebhookClient.newMessageId();
        client.send(ClerkEvents.user("user.created", "user_once", T1).json());
        String update = ClerkEvents.user("user.updated", "user_once", T2).firstName("Once").json();

        assertThat(client.send(id, update).field("status")).isEqualTo("applied");
        Object rowVersion = postgres.query("SELECT xmin::text AS v FROM users WHERE id = 'user_once'").get(0).get("v");
        assertThat(client.send(id, update).field("status")).isEqualTo("duplicate");

        assertThat(postgres.query("SELECT xmin::text AS v FROM users WHERE id = 'user_once'").get(0).get("v"))
                .as("the duplicate must not rewrite the row").isEqualTo(rowVersion);
        assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE event_id = ?", id)).isEqualTo(1);
        assertThat(mongo.database().getCollection("audit_log").countDocuments(Filters.eq("_id", id))).isEqualTo(1);
        assertBothStores("user_once", StoredUser.live("user_once", "user_once@example.com", "Once", T2));
    }

    @Test
    void nul_characters_and_reserved_keys_are_stored_escaped_on_insert_and_on_update() {
        for (long clock : new long[] {T1, T2}) {
            ClerkEvents event = ClerkEvents.user(clock == T1 ? "user.created" : "user.updated", "user_hostile", clock)
                    .firstName("Nul\u0000Name" + clock);
            ObjectNode metadata = event.data().putObject("unsafe_metadata");
            metadata.put("$where", "1").put("a.b", "dotted").put("k\u0000ey", "v\u0000al");
            metadata.putArray("list").addObject().putObject("$deep").put("x.y", clock);

            assertThat(client.send(event.json()).field("status")).isEqualTo("applied");
        }

        assertThat(StoredUser.inPostgres(postgres, "user_hostile").firstName()).isEqualTo("Nul\uFFFDName" + T2);
        assertThat(StoredUser.inMongo(mongo, "user_hostile").firstName()).isEqualTo("Nul\uFFFDName" + T2);
        assertThat(postgres.query("SELECT data->'unsafe_metadata'->>'k\uFFFDey' AS v, "
                + "data->'unsafe_metadata'->>'$where' AS w FROM users WHERE id = 'user_hostile'"))
                .containsExactly(Map.of("v", "v\uFFFDal", "w", "1"));
        Document metadata = mongo.database().getCollection("users").find(Filters.eq("_id", "user_hostile")).first()
                .get("data", Document.class).get("unsafe_metadata", Document.class);
        assertThat(metadata).containsEntry("\uFF04where", "1").containsEntry("a\uFF0Eb", "dotted")
                .containsEntry("k\uFFFDey", "v\uFFFDal");
        Document deep = metadata.getList("list", Document.class).get(0).get("\uFF04deep", Document.class);
        assertThat(deep.get("x\uFF0Ey")).isEqualTo(T2);
    }

    @Test
    void a_huge_string_under_the_body_limit_is_stored_whole_in_both_stores() {
        String huge = "ä".repeat(300_000);

        String status = client.send(ClerkEvents.user("user.created", "user_huge", T1).firstName(huge).json()).field("status");

        assertThat(status).isEqualTo("applied");
        assertThat(StoredUser.inPostgres(postgres, "user_huge").firstName()).isEqualTo(huge);
        assertThat(StoredUser.inMongo(mongo, "user_huge").firstName()).isEqualTo(huge);
    }

    @Test
    void message_contents_of_email_events_never_reach_the_audit_log() {
        String id = WebhookClient.newMessageId();
        client.send(id, ClerkEvents.fixture("email.created.json"));

        String stored = postgres.query("SELECT payload::text AS p FROM audit_log WHERE event_id = ?", id).get(0).get("p").toString();
        Document payload = mongo.database().getCollection("audit_log").find(Filters.eq("_id", id)).first()
                .get("payload", Document.class);

        assertThat(stored).doesNotContain("123456").contains("\"to_email_address\"");
        assertThat(payload.get("data", Document.class).keySet())
                .doesNotContain("body", "body_plain", "subject", "data").contains("to_email_address");
    }

    private void assertBothStores(String id, StoredUser expected) {
        assertThat(StoredUser.inPostgres(postgres, id).essentials()).as("postgres").isEqualTo(expected.essentials());
        assertThat(StoredUser.inMongo(mongo, id).essentials()).as("mongodb").isEqualTo(expected.essentials());
        assertThat(StoredUser.inMongo(mongo, id)).as("both stores hold the same user").isEqualTo(StoredUser.inPostgres(postgres, id));
    }
}

package dev.clerksync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Map;

import com.mongodb.client.model.Filters;
import dev.clerksync.store.relational.CascadeWork;
import dev.clerksync.support.AppTables;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.MappedTargets;
import dev.clerksync.support.MongoTestServer;
import dev.clerksync.support.OrganizationEvents;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deletions whose cascade or erasure is larger than SYNC_CASCADE_INLINE_LIMIT (docs/design.md,
 * decision 16) reach the mapped targets chunk by chunk (contract §11), in both stores: until a chunk
 * is made its memberships' and entries' mapped rows still show what clerk-sync's own rows still show;
 * once the work is finished every mapped target equals the projection of clerk-sync's own records.
 * The timer never fires here (a poll of an hour): the test continues the work itself, so that the
 * state in between is observed, not raced.
 */
class MappingDeferredCascadeTest {

    static final int LIMIT = 5;
    static final long T1 = 1_730_000_000_000L;
    static final long T2 = T1 + 60_000;

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores().withoutService();

    static RunningService service;
    static PostgresDatabase postgres;
    static MongoTestServer mongo;
    static CascadeWork work;

    @BeforeAll
    static void start() throws Exception {
        postgres = stack.postgres();
        mongo = stack.mongo();
        AppTables.create(postgres, mongo);
        service = RunningService.start(postgres, mongo, Map.of(
                "clerk.mappings.dir", AppTables.folder(Files.createTempDirectory("mappings-deferred"), AppTables.MAPPINGS).toString(),
                "clerk.sync.cascade-inline-limit", Integer.toString(LIMIT),
                "clerk.sync.cascade-poll-ms", "3600000"));
        work = service.context().getRegistry().lookupByNameAndType("cascadeWork", CascadeWork.class);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void an_organizations_deferred_cascade_reaches_the_mapped_memberships_chunk_by_chunk() throws Exception {
        int members = LIMIT * 4 + 3;
        WebhookClient client = service.client();
        for (int i = 0; i < members; i++) {
            assertThat(client.send(WebhookClient.newMessageId(), OrganizationEvents.membership("organizationMembership.created",
                    "orgmem_dfr_" + i, "org_dfr", "user_dfr_m" + i, T1).role("org:member").json()).field("status"))
                    .isEqualTo("applied");
        }
        String deletion = WebhookClient.newMessageId();
        assertThat(client.send(deletion, OrganizationEvents.organizationDeleted("org_dfr", T2).json()).field("status"))
                .isEqualTo("applied");
        assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ? AND finished_at IS NULL", deletion))
                .isEqualTo(1);

        // In between: the memberships are still live in clerk-sync's own tables, and so are their mapped rows.
        assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE id LIKE 'orgmem_dfr_%' "
                + "AND deleted_at IS NULL")).isEqualTo(members);
        assertThat(postgres.count("SELECT count(*) FROM \"Membership\" WHERE \"clerkId\" LIKE 'orgmem_dfr_%' "
                + "AND \"role\" = 'org:member'")).isEqualTo(members);
        MappedTargets.assertMembershipsMatch(postgres, mongo, "orgmem_dfr_");

        work.finish();

        assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE id LIKE 'orgmem_dfr_%' "
                + "AND deleted_at IS NULL")).isZero();
        assertThat(postgres.count("SELECT count(*) FROM \"Membership\" WHERE \"clerkId\" LIKE 'orgmem_dfr_%' "
                + "AND \"role\" IS NULL AND \"orgId\" IS NULL AND \"note\" = 'app-owned'")).as("kept with nulls").isEqualTo(members);
        assertThat(mongo.database().getCollection("app_memberships").countDocuments(Filters.and(
                Filters.regex("_id", "^orgmem_dfr_"), Filters.eq("role", null)))).isEqualTo(members);
        MappedTargets.assertMembershipsMatch(postgres, mongo, "orgmem_dfr_");
    }

    @Test
    void a_users_deferred_erasure_reaches_the_mapped_audit_rows_chunk_by_chunk() throws Exception {
        int updates = LIMIT * 3 + 1;
        WebhookClient client = service.client();
        assertThat(client.send(WebhookClient.newMessageId(), ClerkEvents.user("user.created", "user_dfr_e", T1).json())
                .field("status")).isEqualTo("applied");
        for (int i = 1; i <= updates; i++) {
            assertThat(client.send(WebhookClient.newMessageId(), ClerkEvents.user("user.updated", "user_dfr_e", T1 + i)
                    .json()).field("status")).isEqualTo("applied");
        }
        String deletion = WebhookClient.newMessageId();
        assertThat(client.send(deletion, ClerkEvents.deleted("user_dfr_e", T2).json()).field("status")).isEqualTo("applied");
        assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ? AND kind = 'erasure'", deletion))
                .isEqualTo(1);

        // In between: the user's row is gone at once; its entries and their mapped rows still hold the payload.
        assertThat(postgres.count("SELECT count(*) FROM \"User\" WHERE \"clerkId\" = 'user_dfr_e'")).isZero();
        assertThat(postgres.count("SELECT count(*) FROM \"AuditLog\" a JOIN audit_log l ON l.event_id = a.\"svixId\" "
                + "WHERE l.user_id = 'user_dfr_e' AND a.\"email\" = 'user_dfr_e@example.com'")).isEqualTo(updates + 1);
        MappedTargets.assertMatch(postgres, mongo, "user_dfr_e");

        work.finish();

        assertThat(postgres.count("SELECT count(*) FROM \"AuditLog\" a JOIN audit_log l ON l.event_id = a.\"svixId\" "
                + "WHERE l.user_id = 'user_dfr_e' AND (a.\"email\" IS NOT NULL OR a.\"payload\" <> '{\"erased\": true}')"))
                .as("only the deletion's own row keeps its payload").isEqualTo(1);
        assertThat(mongo.database().getCollection("app_audit").countDocuments(Filters.and(
                Filters.ne("payload", new Document("erased", true)), Filters.eq("payload.data.id", "user_dfr_e"))))
                .isEqualTo(1);
        MappedTargets.assertMatch(postgres, mongo, "user_dfr_e");
    }

    @Test
    void a_mapped_write_that_fails_rolls_its_chunk_back_and_the_next_attempt_makes_it_in_both_stores() throws Exception {
        int members = LIMIT + 2;
        WebhookClient client = service.client();
        for (int i = 0; i < members; i++) {
            client.send(WebhookClient.newMessageId(), OrganizationEvents.membership("organizationMembership.created",
                    "orgmem_fail_" + i, "org_fail", "user_fail_" + i, T1).role("org:member").json());
        }
        String deletion = WebhookClient.newMessageId();
        assertThat(client.send(deletion, OrganizationEvents.organizationDeleted("org_fail", T2).json()).field("status"))
                .isEqualTo("applied");
        // The application's table refuses the nulls of on-delete: keep, for these rows only.
        AppTables.execute(postgres, "ALTER TABLE \"Membership\" ADD CONSTRAINT \"roleKept\" "
                + "CHECK (\"clerkId\" NOT LIKE 'orgmem_fail_%' OR \"role\" IS NOT NULL) NOT VALID");
        try {
            assertThatThrownBy(work::finish).isInstanceOf(SQLException.class).hasMessageContaining("roleKept");
            assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE id LIKE 'orgmem_fail_%' "
                    + "AND deleted_at IS NULL")).as("the chunk rolled back").isEqualTo(members);
            assertThat(postgres.count("SELECT count(*) FROM cascade_work WHERE event_id = ? AND finished_at IS NULL",
                    deletion)).isEqualTo(1);
        } finally {
            AppTables.execute(postgres, "ALTER TABLE \"Membership\" DROP CONSTRAINT \"roleKept\"");
        }

        work.finish();

        assertThat(postgres.count("SELECT count(*) FROM organization_memberships WHERE id LIKE 'orgmem_fail_%' "
                + "AND deleted_at IS NULL")).isZero();
        assertThat(postgres.count("SELECT count(*) FROM \"Membership\" WHERE \"clerkId\" LIKE 'orgmem_fail_%' "
                + "AND \"role\" IS NULL")).isEqualTo(members);
        MappedTargets.assertMembershipsMatch(postgres, mongo, "orgmem_fail_");
    }
}

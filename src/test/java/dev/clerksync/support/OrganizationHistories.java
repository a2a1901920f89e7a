package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.clerksync.support.UserHistories.Delivery;

/**
 * Random histories of organizations, their memberships and the deletion of some of their users, and
 * the state they must leave in the stores. Per organization a create and updates with increasing
 * updated_at, sometimes a delete at any time; per membership (of a random organization and user) the
 * same, its delete carrying an old updated_at as Clerk's does; some users deleted. Some deliveries
 * are repeated with the same svix-id, and all are shuffled: Svix guarantees no order.
 *
 * <p>A membership deleted by exactly one deletion (its own, its organization's or its user's) ends
 * in that deletion's tombstone (or, for an owner's deletion, possibly absent: its create may come
 * after it); one deleted by several ends deleted, the deletion that wins depending on arrival order.
 */
public final class OrganizationHistories {

    static final int MAX_UPDATES = 3;
    static final double ORGANIZATION_DELETE_RATE = 0.3;
    static final double MEMBERSHIP_DELETE_RATE = 0.25;
    static final double USER_DELETE_RATE = 0.2;
    static final long EPOCH = 1_730_000_000_000L;
    static final int SPAN_MS = 1_000_000;

    /** A deletion: its time and svix-id. */
    record Deletion(long at, String svixId) {
    }

    private final List<Delivery> deliveries;
    private final int events;
    private final Map<String, StoredOrganization> organizations;
    private final Map<String, StoredMembership> liveMemberships;
    private final Map<String, List<Deletion>> membershipDeletions;
    private final Map<String, StoredMembership> memberships;
    private final List<String> deletedUsers;

    private OrganizationHistories(List<Delivery> deliveries, int events, Map<String, StoredOrganization> organizations,
                                  Map<String, StoredMembership> memberships, Map<String, StoredMembership> liveMemberships,
                                  Map<String, List<Deletion>> membershipDeletions, List<String> deletedUsers) {
        this.deliveries = deliveries;
        this.events = events;
        this.organizations = organizations;
        this.memberships = memberships;
        this.liveMemberships = liveMemberships;
        this.membershipDeletions = membershipDeletions;
        this.deletedUsers = deletedUsers;
    }

    public static OrganizationHistories generate(long seed, String prefix, int organizationCount, int userCount,
                                                 int membershipCount, double duplicateRate) {
        Random random = new Random(seed);
        List<Delivery> deliveries = new ArrayList<>();
        Map<String, StoredOrganization> organizations = new LinkedHashMap<>();
        Map<String, Deletion> organizationDeletions = new LinkedHashMap<>();
        for (int o = 0; o < organizationCount; o++) {
            String id = "org_" + prefix + o;
            organizations.put(id, organization(id, random, deliveries, organizationDeletions));
        }
        Map<String, Deletion> userDeletions = new LinkedHashMap<>();
        for (int u = 0; u < userCount; u++) {
            if (random.nextDouble() < USER_DELETE_RATE) {
                String id = "user_" + prefix + u;
                long at = EPOCH + random.nextInt(SPAN_MS);
                userDeletions.put(id, new Deletion(at, add(deliveries, ClerkEvents.deleted(id, at).json())));
            }
        }
        Map<String, StoredMembership> memberships = new LinkedHashMap<>();
        Map<String, StoredMembership> live = new LinkedHashMap<>();
        Map<String, List<Deletion>> deletions = new LinkedHashMap<>();
        for (int m = 0; m < membershipCount; m++) {
            String id = "orgmem_" + prefix + m;
            String organizationId = "org_" + prefix + random.nextInt(organizationCount);
            String userId = "user_" + prefix + random.nextInt(userCount);
            List<Deletion> deletedBy = new ArrayList<>();
            StoredMembership state = membership(id, organizationId, userId, random, deliveries, deletedBy);
            if (organizationDeletions.containsKey(organizationId)) {
                deletedBy.add(organizationDeletions.get(organizationId));
            }
            if (userDeletions.containsKey(userId)) {
                deletedBy.add(userDeletions.get(userId));
            }
            memberships.put(id, state);
            if (deletedBy.isEmpty()) {
                live.put(id, state);
            } else {
                deletions.put(id, deletedBy);
            }
        }
        int events = deliveries.size();
        for (Delivery delivery : List.copyOf(deliveries)) {
            if (random.nextDouble() < duplicateRate) {
                deliveries.add(delivery);
            }
        }
        Collections.shuffle(deliveries, random);
        return new OrganizationHistories(List.copyOf(deliveries), events, organizations, memberships, live, deletions,
                List.copyOf(userDeletions.keySet()));
    }

    private static StoredOrganization organization(String id, Random random, List<Delivery> deliveries,
                                                   Map<String, Deletion> deletions) {
        long clock = EPOCH + random.nextInt(SPAN_MS);
        String name = "v0";
        String svixId = add(deliveries, OrganizationEvents.organization("organization.created", id, clock).name(name).json());
        int updates = random.nextInt(MAX_UPDATES + 1);
        for (int i = 1; i <= updates; i++) {
            clock += 1 + random.nextInt(10_000);
            name = "v" + i;
            svixId = add(deliveries, OrganizationEvents.organization("organization.updated", id, clock).name(name).json());
        }
        if (random.nextDouble() < ORGANIZATION_DELETE_RATE) {
            long at = EPOCH + random.nextInt(SPAN_MS);
            String deletion = add(deliveries, OrganizationEvents.organizationDeleted(id, at).json());
            deletions.put(id, new Deletion(at, deletion));
            return StoredOrganization.tombstone(id, at, deletion);
        }
        Instant at = Instant.ofEpochMilli(clock);
        return new StoredOrganization(id, name, null, null, null, null, at, null, at, svixId, true);
    }

    private static StoredMembership membership(String id, String organizationId, String userId, Random random,
                                               List<Delivery> deliveries, List<Deletion> deletedBy) {
        long created = EPOCH + random.nextInt(SPAN_MS);
        long clock = created;
        String role = "org:v0";
        String svixId = add(deliveries, OrganizationEvents.membership("organizationMembership.created", id,
                organizationId, userId, clock).role(role).json());
        int updates = random.nextInt(MAX_UPDATES + 1);
        for (int i = 1; i <= updates; i++) {
            clock += 1 + random.nextInt(10_000);
            role = "org:v" + i;
            svixId = add(deliveries, OrganizationEvents.membership("organizationMembership.updated", id,
                    organizationId, userId, clock).role(role).json());
        }
        if (random.nextDouble() < MEMBERSHIP_DELETE_RATE) {
            long at = EPOCH + random.nextInt(SPAN_MS);
            String deletion = add(deliveries, OrganizationEvents.membershipDeleted(id, organizationId, userId, at,
                    created).json());
            deletedBy.add(new Deletion(at, deletion));
            return StoredMembership.tombstone(id, organizationId, userId, at, deletion);
        }
        Instant at = Instant.ofEpochMilli(clock);
        return new StoredMembership(id, organizationId, userId, role, null, at, null, at, svixId, true);
    }

    private static String add(List<Delivery> deliveries, String payload) {
        String svixId = WebhookClient.newMessageId();
        deliveries.add(new Delivery(svixId, payload));
        return svixId;
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** Distinct events (deliveries less the repeats). */
    public int events() {
        return events;
    }

    public int organizations() {
        return organizations.size();
    }

    public int memberships() {
        return memberships.size();
    }

    /** Both stores hold the model's organizations and memberships, and a deleted user's entries are erased. */
    public void assertStoresMatch(PostgresDatabase postgres, MongoTestServer mongo) {
        organizations.forEach((id, expected) -> {
            assertThat(essentials(StoredOrganization.inPostgres(postgres, id))).as("postgres " + id).isEqualTo(expected);
            assertThat(essentials(StoredOrganization.inMongo(mongo, id))).as("mongodb " + id).isEqualTo(expected);
        });
        liveMemberships.forEach((id, expected) -> {
            assertThat(essentials(StoredMembership.inPostgres(postgres, id))).as("postgres " + id).isEqualTo(expected);
            assertThat(essentials(StoredMembership.inMongo(mongo, id))).as("mongodb " + id).isEqualTo(expected);
        });
        membershipDeletions.forEach((id, deletedBy) -> {
            StoredMembership inPostgres = StoredMembership.inPostgres(postgres, id);
            StoredMembership inMongo = StoredMembership.inMongo(mongo, id);
            for (StoredMembership stored : java.util.Arrays.asList(inPostgres, inMongo)) {
                assertThat(stored == null || !stored.live()).as("no live membership %s", id).isTrue();
            }
            if (deletedBy.size() == 1) {
                // One deletion: its tombstone, or nothing when the create came after an owner's deletion.
                Deletion deletion = deletedBy.get(0);
                StoredMembership model = memberships.get(id);
                StoredMembership tombstone = StoredMembership.tombstone(id, model.organizationId(), model.userId(),
                        deletion.at(), deletion.svixId());
                assertThat(inPostgres).as("postgres " + id).isIn(tombstone, null);
                assertThat(inMongo).as("mongodb " + id).isEqualTo(inPostgres);
            }
        });
        for (String user : deletedUsers) {
            assertThat(postgres.count("SELECT count(*) FROM audit_log WHERE user_id = ? AND event_type <> 'user.deleted' "
                    + "AND payload <> '{\"erased\": true}'", user)).as("unerased entries of %s", user).isZero();
            assertThat(mongo.database().getCollection("audit_log").countDocuments(com.mongodb.client.model.Filters.and(
                    com.mongodb.client.model.Filters.eq("userId", user),
                    com.mongodb.client.model.Filters.ne("eventType", "user.deleted"),
                    com.mongodb.client.model.Filters.ne("payload", org.bson.Document.parse("{\"erased\": true}")))))
                    .as("unerased entries of %s in MongoDB", user).isZero();
        }
    }

    // Only what the histories set: the rest comes from the fixtures' templates.
    private static StoredOrganization essentials(StoredOrganization stored) {
        return new StoredOrganization(stored.id(), stored.name(), null, null, null, null, stored.updatedAt(),
                stored.deletedAt(), stored.lastEventAt(), stored.lastEventId(), stored.hasData());
    }

    private static StoredMembership essentials(StoredMembership stored) {
        return new StoredMembership(stored.id(), stored.organizationId(), stored.userId(), stored.role(), null,
                stored.updatedAt(), stored.deletedAt(), stored.lastEventAt(), stored.lastEventId(), stored.hasData());
    }
}

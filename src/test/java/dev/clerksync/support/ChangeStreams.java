package dev.clerksync.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clerksync.support.UserHistories.Delivery;

/**
 * Random streams of users, organizations and memberships whose updates change a random few of the
 * fields the stores keep in columns (sometimes none: only the object's other fields and its clock),
 * sometimes set one to null; some records deleted (a user's or an organization's deletion cascades
 * to its memberships); some deliveries repeated; all shuffled, so that many arrive out of order.
 * For the change events' {@code changed}: which columns an applied change altered.
 */
public final class ChangeStreams {

    static final long EPOCH = 1_730_000_000_000L;
    static final int SPAN_MS = 1_000_000;
    static final int MAX_UPDATES = 4;
    static final double FIELD_CHANGE_RATE = 0.3;
    static final double DELETE_RATE = 0.25;

    private ChangeStreams() {
    }

    /** The deliveries of {@code users} users, {@code organizations} organizations and {@code memberships} memberships. */
    public static List<Delivery> generate(long seed, String prefix, int users, int organizations, int memberships,
                                          double duplicateRate) {
        Random random = new Random(seed);
        List<Delivery> deliveries = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            user(prefix + "user_" + u, random, deliveries);
        }
        for (int o = 0; o < organizations; o++) {
            organization(prefix + "org_" + o, random, deliveries);
        }
        for (int m = 0; m < memberships; m++) {
            membership(prefix + "orgmem_" + m, prefix + "org_" + random.nextInt(organizations),
                    prefix + "user_" + random.nextInt(users), random, deliveries);
        }
        for (Delivery delivery : List.copyOf(deliveries)) {
            if (random.nextDouble() < duplicateRate) {
                deliveries.add(delivery);
            }
        }
        Collections.shuffle(deliveries, random);
        return List.copyOf(deliveries);
    }

    private static void user(String id, Random random, List<Delivery> deliveries) {
        long clock = EPOCH + random.nextInt(SPAN_MS);
        ClerkEvents created = ClerkEvents.user("user.created", id, clock);
        randomize(created.data(), random, 1.0, "first_name", "last_name", "username", "image_url");
        add(deliveries, created.json());
        ObjectNode last = created.data();
        for (int i = random.nextInt(MAX_UPDATES + 1); i > 0; i--) {
            clock += 1 + random.nextInt(10_000);
            ClerkEvents updated = ClerkEvents.user("user.updated", id, clock);
            updated.data().setAll(copyExceptClock(last));
            randomize(updated.data(), random, FIELD_CHANGE_RATE, "first_name", "last_name", "username", "image_url");
            if (random.nextDouble() < FIELD_CHANGE_RATE) {
                updated.email(id + "+" + random.nextInt(1000) + "@example.com");
            }
            otherFields(updated.data(), random);
            add(deliveries, updated.json());
            last = updated.data();
        }
        if (random.nextDouble() < DELETE_RATE) {
            add(deliveries, ClerkEvents.deleted(id, EPOCH + random.nextInt(SPAN_MS)).json());
        }
    }

    private static void organization(String id, Random random, List<Delivery> deliveries) {
        long clock = EPOCH + random.nextInt(SPAN_MS);
        OrganizationEvents created = OrganizationEvents.organization("organization.created", id, clock);
        randomize(created.data(), random, 1.0, "name", "slug", "image_url", "created_by");
        add(deliveries, created.json());
        ObjectNode last = created.data();
        for (int i = random.nextInt(MAX_UPDATES + 1); i > 0; i--) {
            clock += 1 + random.nextInt(10_000);
            OrganizationEvents updated = OrganizationEvents.organization("organization.updated", id, clock);
            updated.data().setAll(copyExceptClock(last));
            randomize(updated.data(), random, FIELD_CHANGE_RATE, "name", "slug", "image_url", "created_by");
            otherFields(updated.data(), random);
            add(deliveries, updated.json());
            last = updated.data();
        }
        if (random.nextDouble() < DELETE_RATE) {
            add(deliveries, OrganizationEvents.organizationDeleted(id, EPOCH + random.nextInt(SPAN_MS)).json());
        }
    }

    private static void membership(String id, String organizationId, String userId, Random random,
                                   List<Delivery> deliveries) {
        long created = EPOCH + random.nextInt(SPAN_MS);
        long clock = created;
        add(deliveries, OrganizationEvents.membership("organizationMembership.created", id, organizationId, userId, clock)
                .role("org:r" + random.nextInt(3)).json());
        for (int i = random.nextInt(MAX_UPDATES + 1); i > 0; i--) {
            clock += 1 + random.nextInt(10_000);
            OrganizationEvents updated = OrganizationEvents.membership("organizationMembership.updated", id,
                    organizationId, userId, clock);
            // Three roles: an update often keeps the role it had.
            updated.role("org:r" + random.nextInt(3));
            otherFields(updated.data(), random);
            add(deliveries, updated.json());
        }
        if (random.nextDouble() < DELETE_RATE) {
            add(deliveries, OrganizationEvents.membershipDeleted(id, organizationId, userId,
                    EPOCH + random.nextInt(SPAN_MS), created).json());
        }
    }

    /** Each field, at this rate, a new value or (one time in five) null. */
    private static void randomize(ObjectNode data, Random random, double rate, String... fields) {
        for (String field : fields) {
            if (random.nextDouble() < rate) {
                if (random.nextInt(5) == 0) {
                    data.putNull(field);
                } else {
                    data.put(field, field + "-" + random.nextInt(1000));
                }
            }
        }
    }

    /** A field of the object that no column holds: it changes the record's data alone. */
    private static void otherFields(ObjectNode data, Random random) {
        data.put("clerk_sync_test_counter", random.nextInt(3));
    }

    /** The object as it last was, less its clock (the update's own). */
    private static ObjectNode copyExceptClock(ObjectNode data) {
        ObjectNode copy = data.deepCopy();
        copy.remove("updated_at");
        return copy;
    }

    private static void add(List<Delivery> deliveries, String payload) {
        deliveries.add(new Delivery(WebhookClient.newMessageId(), payload));
    }
}

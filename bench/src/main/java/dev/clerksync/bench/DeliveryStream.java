package dev.clerksync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The deliveries of one run, in the order they are taken: about 20% {@code user.created}, 70%
 * {@code user.updated} over a pool of users, 5% {@code user.deleted}, 5% {@code session.created},
 * and, in between, duplicates that re-send a recent delivery under the same svix-id.
 */
final class DeliveryStream {

    // Cumulative shares of the event types; the rest is session.created.
    private static final double CREATED = 0.20;
    private static final double UPDATED = 0.90;
    private static final double DELETED = 0.95;
    // Svix retries a delivery soon after it failed: duplicates repeat one of the latest deliveries.
    private static final int DUPLICATE_WINDOW = 2_000;
    private static final String[] FIRST_NAMES = {"Ada", "Grace", "José", "Zoë", "Łukasz", "Mei", "Anakin", "Amara",
        "Søren", "Priya", "Chidi", "Yuki", "Fatima", "Liam", "Ingrid", "Mateo"};

    private final Delivery[] entries;
    private final boolean[] duplicate;
    private final int distinctCount;

    private DeliveryStream(Delivery[] entries, boolean[] duplicate, int distinctCount) {
        this.entries = entries;
        this.duplicate = duplicate;
        this.distinctCount = distinctCount;
    }

    /**
     * @param length            how many entries, duplicates included
     * @param poolUsers         users that exist before the run: their first event is an update
     * @param duplicateFraction the share of entries that repeat an earlier delivery
     * @param startClock        the first {@code updated_at} (epoch ms); clocks only move forward
     */
    static DeliveryStream generate(int length, int poolUsers, double duplicateFraction, ClerkIds ids,
                                   SplittableRandom random, long startClock) {
        Generator generator = new Generator(ids, random, startClock);
        generator.seedPool(poolUsers);
        Delivery[] entries = new Delivery[length];
        boolean[] duplicate = new boolean[length];
        List<Delivery> distinct = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            if (!distinct.isEmpty() && random.nextDouble() < duplicateFraction) {
                int back = 1 + random.nextInt(Math.min(distinct.size(), DUPLICATE_WINDOW));
                entries[i] = distinct.get(distinct.size() - back);
                duplicate[i] = true;
            } else {
                entries[i] = generator.next(distinct.size());
                distinct.add(entries[i]);
            }
        }
        return new DeliveryStream(entries, duplicate, distinct.size());
    }

    int length() {
        return entries.length;
    }

    Delivery entry(int index) {
        return entries[index];
    }

    boolean isDuplicate(int index) {
        return duplicate[index];
    }

    int distinctCount() {
        return distinctCount;
    }

    /** Makes the events of a growing, changing population of users. */
    private static final class Generator {

        private final ClerkIds ids;
        private final SplittableRandom random;
        private final List<LiveUser> live = new ArrayList<>();
        private long clock;

        Generator(ClerkIds ids, SplittableRandom random, long startClock) {
            this.ids = ids;
            this.random = random;
            this.clock = startClock;
        }

        void seedPool(int users) {
            for (int i = 0; i < users; i++) {
                long createdAt = clock - 1_000L * random.nextInt(365 * 86_400);
                live.add(new LiveUser(UserProfile.random(ids, createdAt, random)));
            }
        }

        Delivery next(int ordinal) {
            clock += 1 + random.nextInt(5);
            double kind = random.nextDouble();
            if (kind < CREATED || live.isEmpty()) {
                LiveUser user = new LiveUser(UserProfile.random(ids, clock, random));
                live.add(user);
                return userEvent(ordinal, "user.created", user);
            }
            int index = random.nextInt(live.size());
            LiveUser user = live.get(index);
            if (kind < UPDATED) {
                return userEvent(ordinal, "user.updated", user);
            }
            if (kind < DELETED) {
                live.set(index, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                long deletedAt = Math.max(clock, user.lastClock() + 1);
                return new Delivery(ordinal, ids.next("msg"), "user.deleted",
                        ClerkEvents.userDeleted(user.profile.id(), deletedAt), user.profile.id(),
                        ExpectedUser.deleted(deletedAt));
            }
            byte[] body = ClerkEvents.sessionCreated(ids.next("sess"), ids.next("client"), user.profile.id(), clock);
            return new Delivery(ordinal, ids.next("msg"), "session.created", body, null, null);
        }

        private Delivery userEvent(int ordinal, String type, LiveUser user) {
            UserVersion version = user.advance(Math.max(clock, user.lastClock() + 1), random);
            long timestamp = version.updatedAt() + 1 + random.nextInt(200);
            return new Delivery(ordinal, ids.next("msg"), type, ClerkEvents.userEvent(type, version, timestamp),
                    user.profile.id(), ExpectedUser.live(version));
        }
    }

    /** A user of the stream and its latest version; each update moves {@code updated_at} forward. */
    private static final class LiveUser {

        final UserProfile profile;
        private UserVersion current;

        LiveUser(UserProfile profile) {
            this.profile = profile;
        }

        long lastClock() {
            return current == null ? profile.createdAt() : current.updatedAt();
        }

        UserVersion advance(long updatedAt, SplittableRandom random) {
            int emails = profile.emailAddresses().size();
            // Most updates keep the primary address; now and then the user makes another one primary.
            int primary = current == null || random.nextInt(10) == 0 ? random.nextInt(emails) : current.primaryEmail();
            int signIns = current == null ? 1 : current.signInCount() + 1;
            current = new UserVersion(profile, updatedAt, FIRST_NAMES[random.nextInt(FIRST_NAMES.length)], primary,
                    signIns);
            return current;
        }
    }
}

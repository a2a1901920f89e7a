package dev.clerksync.store;

import java.time.Instant;
import java.util.List;

/**
 * The follower's share of a chunk of a deletion's cascade that the relational store continues after
 * the answer (relational.CascadeWork): the document store makes the same change to the same records,
 * before the chunk commits, so that a crash in between makes the chunk again in both stores.
 */
public interface CascadeFollower {

    /** These memberships, deleted as their own .deleted would have: this clock and svix-id. */
    void deleteMemberships(List<String> ids, Instant deletedAt, String eventId);

    /** These audit entries, erased (the deletion's own entry is never among them). */
    void eraseEntries(List<String> eventIds);

    /** No document store: nothing to follow. */
    CascadeFollower NONE = new CascadeFollower() {
        @Override
        public void deleteMemberships(List<String> ids, Instant deletedAt, String eventId) {
        }

        @Override
        public void eraseEntries(List<String> eventIds) {
        }
    };
}

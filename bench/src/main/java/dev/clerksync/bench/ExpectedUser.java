package dev.clerksync.bench;

/**
 * A user as a store must hold it, in the terms both stores are compared in: the first name and the
 * primary email of the newest version, its {@code updated_at}, or only {@code deleted_at} once
 * deleted. Times are epoch milliseconds; null where the store holds none.
 */
record ExpectedUser(String firstName, String email, Long updatedAt, Long deletedAt) {

    static ExpectedUser live(UserVersion version) {
        return new ExpectedUser(version.firstName(), version.primaryEmailAddress(), version.updatedAt(), null);
    }

    static ExpectedUser deleted(long deletedAt) {
        return new ExpectedUser(null, null, null, deletedAt);
    }

    boolean isDeleted() {
        return deletedAt != null;
    }

    /** The state that wins when both were delivered: deletion is final, otherwise the newest. */
    ExpectedUser winner(ExpectedUser other) {
        if (isDeleted()) {
            return this;
        }
        if (other.isDeleted()) {
            return other;
        }
        return other.updatedAt > updatedAt ? other : this;
    }
}

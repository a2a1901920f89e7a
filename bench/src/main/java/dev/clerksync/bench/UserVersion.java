package dev.clerksync.bench;

/**
 * One state of a user, as one {@code user.created} or {@code user.updated} carries it: what the
 * update changed (first name, primary address, sign-in count) and its {@code updated_at}.
 */
record UserVersion(UserProfile profile, long updatedAt, String firstName, int primaryEmail, int signInCount) {

    String primaryEmailAddress() {
        return profile.emailAddresses().get(primaryEmail).address();
    }

    String primaryEmailId() {
        return profile.emailAddresses().get(primaryEmail).id();
    }
}

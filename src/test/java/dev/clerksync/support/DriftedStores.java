package dev.clerksync.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * A deliberately drifted set-up for the drift report (docs/backfill.md "Drift"): the stores in
 * step with Clerk, then for each kind one record added in Clerk only ({@code *_missing}), one
 * deleted in Clerk only ({@code *_gone}), one edited in Clerk only ({@code *_newer}), one whose
 * MongoDB copy was edited behind the service's back ({@code *_split}), and the others left alone.
 */
public final class DriftedStores {

    public static final List<String> KINDS = List.of("users", "organizations", "memberships");
    public static final List<String> CLASSES = List.of("missing_here", "gone_from_clerk", "newer_in_clerk", "stores_disagree");

    private DriftedStores() {
    }

    /** Brings the stores in step with the (empty) fake through a backfill, then drifts them apart. */
    public static void drift(FakeClerkApi clerk, BackfillRunner backfill, MongoTestServer mongo) {
        for (String user : List.of("user_same", "user_gone", "user_newer", "user_split", "user_member")) {
            clerk.add(clerk.newUser(user));
        }
        for (String organization : List.of("org_same", "org_gone", "org_newer", "org_split")) {
            clerk.add(clerk.newOrganization(organization));
        }
        // Each of a user who stays (a gone user's memberships go with it), one membership per user,
        // as Clerk has it: a membership is asked about by its organization and user.
        clerk.add(clerk.newMembership("orgmem_same", "org_same", "user_same"));
        clerk.add(clerk.newMembership("orgmem_gone", "org_same", "user_newer"));
        clerk.add(clerk.newMembership("orgmem_newer", "org_same", "user_split"));
        clerk.add(clerk.newMembership("orgmem_split", "org_same", "user_member"));
        BackfillRunner.Run first = backfill.run();
        assertThat(first.status()).as(first.err()).isZero();

        clerk.add(clerk.newUser("user_missing"));
        clerk.add(clerk.newOrganization("org_missing"));
        clerk.add(clerk.newMembership("orgmem_missing", "org_same", "user_missing"));
        clerk.delete("user_gone");
        clerk.delete("org_gone");
        clerk.delete("orgmem_gone");
        clerk.update("user_newer", "first_name", "Renamed");
        clerk.update("org_newer", "name", "Renamed Inc");
        clerk.update("orgmem_newer", "role", "org:admin");
        mongo.database().getCollection("users").updateOne(Filters.eq("_id", "user_split"), Updates.set("firstName", "Edited"));
        mongo.database().getCollection("organizations").updateOne(Filters.eq("_id", "org_split"), Updates.set("name", "Edited"));
        mongo.database().getCollection("organization_memberships")
                .updateOne(Filters.eq("_id", "orgmem_split"), Updates.set("role", "org:edited"));
    }

    /** The id of the record of a kind that drifted in a class, e.g. {@code user_missing} for users, missing_here. */
    public static String idOf(String kind, String driftClass) {
        String prefix = switch (kind) {
            case "users" -> "user_";
            case "organizations" -> "org_";
            default -> "orgmem_";
        };
        return prefix + switch (driftClass) {
            case "missing_here" -> "missing";
            case "gone_from_clerk" -> "gone";
            case "newer_in_clerk" -> "newer";
            default -> "split";
        };
    }
}

package dev.clerksync.backfill;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static dev.clerksync.backfill.BackfillSummary.Kind.MEMBERSHIPS;
import static dev.clerksync.backfill.BackfillSummary.Kind.ORGANIZATIONS;
import static dev.clerksync.backfill.BackfillSummary.Kind.SUBSCRIPTIONS;
import static dev.clerksync.backfill.BackfillSummary.Kind.SUBSCRIPTION_ITEMS;
import static dev.clerksync.backfill.BackfillSummary.Kind.USERS;
import static org.assertj.core.api.Assertions.assertThat;

class BackfillSummaryTest {

    @Test
    void the_summary_is_one_line_of_json_with_exactly_the_documented_fields_in_order() throws Exception {
        BackfillSummary summary = new BackfillSummary();
        summary.of(USERS).fetched(1203);
        summary.of(USERS).applied(1200);
        summary.of(USERS).unchanged(3);
        summary.of(USERS).deleted(2);
        summary.of(ORGANIZATIONS).fetched(12);
        summary.of(ORGANIZATIONS).unchanged(12);
        summary.of(MEMBERSHIPS).fetched(39);
        summary.of(MEMBERSHIPS).applied(1);
        summary.of(MEMBERSHIPS).unchanged(38);
        summary.of(SUBSCRIPTIONS).fetched(4);
        summary.of(SUBSCRIPTIONS).applied(4);
        summary.of(SUBSCRIPTION_ITEMS).fetched(6);
        summary.of(SUBSCRIPTION_ITEMS).unchanged(6);

        String line = summary.toJson("20261201T233500Z-1a2b", 61, 2, Duration.ofMillis(12_345));

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("run", "users", "organizations", "memberships", "subscriptions", "subscription_items",
                        "requests", "rate_limited", "seconds");
        for (String kind : List.of("users", "organizations", "memberships", "subscriptions", "subscription_items")) {
            assertThat(json.get(kind).fieldNames()).toIterable().containsExactly("fetched", "applied", "unchanged", "deleted");
        }
        assertThat(json.get("run").asText()).isEqualTo("20261201T233500Z-1a2b");
        assertThat(json.get("users").get("fetched").asLong()).isEqualTo(1203);
        assertThat(json.get("users").get("applied").asLong()).isEqualTo(1200);
        assertThat(json.get("users").get("unchanged").asLong()).isEqualTo(3);
        assertThat(json.get("users").get("deleted").asLong()).isEqualTo(2);
        assertThat(json.get("organizations").get("unchanged").asLong()).isEqualTo(12);
        assertThat(json.get("memberships").get("applied").asLong()).isEqualTo(1);
        assertThat(json.get("subscriptions").get("applied").asLong()).isEqualTo(4);
        assertThat(json.get("subscription_items").get("fetched").asLong()).isEqualTo(6);
        assertThat(json.get("subscription_items").get("unchanged").asLong()).isEqualTo(6);
        assertThat(json.get("requests").asLong()).isEqualTo(61);
        assertThat(json.get("rate_limited").asLong()).isEqualTo(2);
        assertThat(json.get("seconds").isNumber()).isTrue();
        assertThat(json.get("seconds").decimalValue()).isEqualByComparingTo("12.345");
    }

    @Test
    void an_empty_run_has_every_count_at_zero() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new BackfillSummary().toJson("r", 0, 0, Duration.ZERO));

        assertThat(json.get("memberships").get("deleted").asLong()).isZero();
        assertThat(json.get("seconds").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void a_membership_total_is_built_up_organization_by_organization() {
        BackfillSummary.Counts memberships = new BackfillSummary().of(MEMBERSHIPS);
        assertThat(memberships.total()).isEqualTo(-1);

        memberships.addToTotal(3);
        memberships.addToTotal(4);

        assertThat(memberships.total()).isEqualTo(7);
    }
}

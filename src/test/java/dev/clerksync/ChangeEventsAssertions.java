package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;

/** What the change-event tests check of a stream: gapless seq per record, in order, ending with the stored row. */
final class ChangeEventsAssertions {

    private ChangeEventsAssertions() {
    }

    /** Each record's change_seq: how many changes the store applied to it. */
    static Map<String, Long> appliedChanges(PostgresDatabase postgres, String idPattern) {
        Map<String, Long> applied = new LinkedHashMap<>();
        for (Map<String, Object> row : postgres.query("SELECT id, change_seq FROM users WHERE id LIKE ? ORDER BY id", idPattern)) {
            applied.put((String) row.get("id"), ((Number) row.get("change_seq")).longValue());
        }
        assertThat(applied).isNotEmpty();
        return applied;
    }

    static void assertInSeqOrderEndingWithTheStoredRow(RabbitChangeEventsQueue queue, PostgresDatabase postgres,
            String table, Set<String> subjects) {
        long received = subjects.stream().mapToLong(subject -> queue.about(subject).size()).sum();
        long distinct = subjects.stream().mapToLong(subject -> queue.firstArrivals(subject).size()).sum();
        System.out.printf("rabbitmq: %d records, %d messages, %d distinct events, %d duplicates%n",
                subjects.size(), received, distinct, received - distinct);
        for (String subject : subjects) {
            List<Received> first = queue.firstArrivals(subject);
            long n = first.size();
            assertThat(first).as("first arrivals of %s", subject).extracting(Received::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
            Map<String, Object> row = postgres.query("SELECT email, first_name, last_event_id, deleted_at IS NOT NULL AS deleted FROM "
                    + table + " WHERE id = ?", subject).get(0);
            Received last = first.get(first.size() - 1);
            assertThat(last.body().get("data").get("last_event_id").asText()).isEqualTo(row.get("last_event_id"));
            assertThat(last.body().get("data").get("first_name").isNull() ? null : last.body().get("data").get("first_name").asText())
                    .isEqualTo(row.get("first_name"));
            assertThat(last.routingKey()).isEqualTo((Boolean) row.get("deleted") ? "user.deleted" : "user.changed");
        }
    }
}

package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clerksync.support.ChangeStreams;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Concurrently;
import dev.clerksync.support.PostgresDatabase;
import dev.clerksync.support.RabbitChangeEventsQueue.Received;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.UserHistories.Delivery;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract §9 {@code changed}: over random streams of users, organizations and memberships (updates
 * that change a random few columns, out of order, repeated, deletions and their cascades), each
 * event's {@code changed} holds exactly the columns whose value differs from the subject's previous
 * event's {@code data}, or every column set for its first, give or take the clock columns and
 * {@code data} the contract allows beside them. On PostgreSQL (triggers) and H2 (Java trigger) alike.
 */
class ChangeEventsChangedTest {

    static final Set<String> ALLOWED_BESIDE = Set.of("updated_at", "last_event_at", "last_event_id", "data");
    static final String PREFIX = "chg_";
    static final String EXCHANGE = RabbitChangeEventsQueue.newExchangeName();

    @RegisterExtension
    static final SyncStack stack = SyncStack.postgresOnly()
            .with("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI)
            .with("clerk.change-events.exchange", EXCHANGE);

    @TempDir
    Path dataDir;

    @Test
    void on_postgresql_changed_lists_the_columns_each_change_altered() throws Exception {
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(EXCHANGE)) {
            Map<String, List<Received>> streams = publish(stack.client(), queue, 2501);
            // Every applied change was published: as many events per record as the store counted changes.
            PostgresDatabase postgres = stack.postgres();
            for (String table : List.of("users", "organizations", "organization_memberships")) {
                for (Map<String, Object> row : postgres.query("SELECT id, change_seq FROM " + table + " WHERE id LIKE ?",
                        PREFIX + "%")) {
                    assertThat(streams.get((String) row.get("id"))).as("events of %s", row.get("id"))
                            .hasSize(((Number) row.get("change_seq")).intValue());
                }
            }
            assertChangedIsWhatDiffers(streams);
        }
    }

    @Test
    void on_the_embedded_store_changed_lists_the_columns_each_change_altered() throws Exception {
        String exchange = RabbitChangeEventsQueue.newExchangeName();
        Map<String, String> settings = Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.data.dir", dataDir.toString(),
                "clerk.database.url", "",
                "clerk.sync.stores", "postgres",
                "clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI,
                "clerk.change-events.exchange", exchange);
        try (RabbitChangeEventsQueue queue = RabbitChangeEventsQueue.on(exchange);
             RunningService service = RunningService.start(settings)) {
            assertChangedIsWhatDiffers(publish(service.client(), queue, 2502));
        }
    }

    /**
     * Sends a random stream at concurrency 8, then a marker: the relay publishes in the order the
     * events were written, so once the marker is in, so is every event before it. Each record's events, by seq.
     */
    private static Map<String, List<Received>> publish(WebhookClient client, RabbitChangeEventsQueue queue, long seed)
            throws Exception {
        List<Callable<Integer>> sends = new ArrayList<>();
        for (Delivery delivery : ChangeStreams.generate(seed, PREFIX, 30, 10, 40, 0.2)) {
            sends.add(() -> client.send(delivery.svixId(), delivery.payload()).status());
        }
        assertThat(Concurrently.run(8, sends)).allMatch(status -> status >= 200 && status < 300);
        client.send(ClerkEvents.user("user.created", "marker_" + seed, 1_730_000_000_000L).json());
        await().atMost(Duration.ofSeconds(60)).until(() -> !queue.about("marker_" + seed).isEmpty());

        Map<String, List<Received>> streams = queue.all().stream().map(Received::subject).filter(s -> s.startsWith(PREFIX))
                .distinct().collect(Collectors.toMap(s -> s, s -> queue.firstArrivals(s).stream()
                        .sorted(Comparator.comparingLong(Received::seq)).toList()));
        assertThat(streams).hasSizeGreaterThan(50);
        streams.forEach((subject, events) -> assertThat(events).as("seq of %s", subject).extracting(Received::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList()));
        return streams;
    }

    private static void assertChangedIsWhatDiffers(Map<String, List<Received>> streams) {
        int narrow = 0;
        int clockOnly = 0;
        for (List<Received> events : streams.values()) {
            JsonNode before = null;
            for (Received event : events) {
                JsonNode data = event.body().get("data");
                Set<String> changed = new TreeSet<>();
                event.body().get("changed").forEach(column -> changed.add(column.asText()));
                Set<String> differing = differing(before, data);
                String what = event.subject() + " seq " + event.seq();
                assertThat(changed).as("changed of %s", what).containsAll(differing);
                assertThat(changed).as("changed of %s beside what differs", what)
                        .allMatch(column -> differing.contains(column) || ALLOWED_BESIDE.contains(column));
                if (before != null && !changed.containsAll(columnsOf(data))) {
                    narrow++;
                }
                if (before != null && ALLOWED_BESIDE.containsAll(differing)) {
                    clockOnly++;
                }
                before = data;
            }
        }
        // The streams must have exercised what `changed` is for: updates that left columns as they were.
        System.out.printf("changed: %d records, %d updates leaving some column alone, %d touching no column but the clocks%n",
                streams.size(), narrow, clockOnly);
        assertThat(narrow).isGreaterThan(20);
        assertThat(clockOnly).isPositive();
    }

    /** The columns whose value differs from the record's previous data; for its first change, those set. */
    private static Set<String> differing(JsonNode before, JsonNode after) {
        Set<String> columns = new TreeSet<>();
        for (String column : columnsOf(after)) {
            JsonNode value = after.get(column);
            if (before == null ? !value.isNull() : !value.equals(before.get(column))) {
                columns.add(column);
            }
        }
        return columns;
    }

    private static Set<String> columnsOf(JsonNode data) {
        Set<String> columns = new TreeSet<>();
        data.fieldNames().forEachRemaining(columns::add);
        return columns;
    }
}

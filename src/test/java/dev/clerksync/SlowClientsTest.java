package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Metrics;
import dev.clerksync.support.RawHttp;
import dev.clerksync.support.RawHttp.Answer;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.TricklingClients;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients before their request exists (docs/reliability.md): a connection whose request head
 * trickles in (or that sends nothing) is closed at the header timeout, hundreds of them do not hold
 * up a signed delivery, and a request whose head came in time, or a kept-alive connection between
 * requests, is not cut by the header timeout.
 */
class SlowClientsTest {

    static final int HEADER_TIMEOUT_SECONDS = 2;
    static final int IDLE_TIMEOUT_SECONDS = 3;
    static final int PER_ADDRESS = 20;
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(HEADER_TIMEOUT_SECONDS);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(IDLE_TIMEOUT_SECONDS);
    /** What a timer on a busy event loop and the client's noticing may add. */
    static final Duration MARGIN = Duration.ofMillis(1500);
    /**
     * Timers fire on time or late, never early; but the idle test's clock starts when the client has
     * read the answer, a little after the server's.
     */
    static final Duration EARLY = Duration.ofMillis(100);

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores()
            .with("clerk.webhook.header-timeout-seconds", Integer.toString(HEADER_TIMEOUT_SECONDS))
            .with("clerk.webhook.idle-timeout-seconds", Integer.toString(IDLE_TIMEOUT_SECONDS))
            .with("clerk.webhook.max-connections-per-address", Integer.toString(PER_ADDRESS));

    final RunningService service = stack.service();
    final WebhookClient client = stack.client();
    final int port = URI.create(service.baseUrl()).getPort();
    final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopPacing() {
        pacer.shutdownNow();
    }

    @Test
    void five_hundred_connections_trickling_their_heads_hold_up_no_delivery_and_are_closed_at_the_header_timeout()
            throws Exception {
        // The first delivery of a fresh service loads classes and fills pools: the normal time is the second's.
        assertThat(client.send(user("user_slow_warm")).status()).isEqualTo(200);
        long normalMillis = timed(() -> assertThat(client.send(user("user_slow_normal")).status()).isEqualTo(200));
        // 500 connections from 50 addresses: under the per-address cap, which is not what this is about.
        List<InetAddress> sources = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            sources.add(InetAddress.getByName("127.0.1." + i));
        }
        byte[] head = RawHttp.head("POST", WebhookClient.PATH, Map.of("Content-Type", "application/json"), 100);

        try (TricklingClients trickling = TricklingClients.open(port, 500, sources, head, Duration.ofSeconds(1));
                // and a few that open and say nothing at all
                TricklingClients silent = TricklingClients.open(port, 10, sources, new byte[0], Duration.ofSeconds(1))) {
            long[] answered = new long[1];
            long deliveryMillis = timed(() -> {
                Response response = client.send(user("user_slow_while_trickling"));
                answered[0] = trickling.closed();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.field("status")).isEqualTo("applied");
            });
            assertThat(answered[0]).as("connections closed before the delivery was answered").isZero();
            assertThat(deliveryMillis).as("the delivery, while 500 connections trickled (normal: %d ms)", normalMillis)
                    .isLessThan(HEADER_TIMEOUT.toMillis());

            assertThat(trickling.awaitAllClosed(HEADER_TIMEOUT.plus(MARGIN).plusSeconds(2)))
                    .as("every trickling connection closed by the server").isTrue();
            assertThat(silent.awaitAllClosed(MARGIN)).as("every silent connection closed by the server").isTrue();
            List<Duration> lifetimes = Stream.concat(trickling.connections().stream(), silent.connections().stream())
                    .map(TricklingClients.Connection::lifetime).sorted().toList();
            assertThat(lifetimes.get(0)).isGreaterThanOrEqualTo(HEADER_TIMEOUT.minus(EARLY));
            assertThat(lifetimes.get(lifetimes.size() - 1)).isLessThanOrEqualTo(HEADER_TIMEOUT.plus(MARGIN));
            assertThat(Stream.concat(trickling.connections().stream(), silent.connections().stream())).as("closed without an answer")
                    .allSatisfy(connection -> assertThat(connection.bytesReceived()).isZero());
            System.out.printf("SlowClientsTest: delivery %d ms while 500 connections trickled (normal %d ms); "
                            + "they were closed %d-%d ms after opening (header timeout %d ms)%n",
                    deliveryMillis, normalMillis, lifetimes.get(0).toMillis(), lifetimes.get(lifetimes.size() - 1).toMillis(),
                    HEADER_TIMEOUT.toMillis());
        }
        assertThat(Metrics.value(service, "clerk_sync_connections_closed_total", "reason", "header_timeout")).isGreaterThanOrEqualTo(510);
    }

    @Test
    void a_request_whose_head_came_in_time_may_send_its_body_for_longer_than_the_header_timeout() throws Exception {
        String payload = user("user_slow_body");
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        byte[] head = RawHttp.head("POST", WebhookClient.PATH, client.signedHeaders(WebhookClient.newMessageId(), payload), body.length);
        try (Socket socket = RawHttp.connect(InetAddress.getLoopbackAddress(), port, Duration.ofSeconds(10))) {
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            // The body in three parts, the last one past the header timeout (and within the request's).
            int third = body.length / 3;
            long lastPartMillis = HEADER_TIMEOUT.toMillis() + 500;
            sendLater(out, body, 0, third, 0);
            sendLater(out, body, third, 2 * third, lastPartMillis / 2);
            sendLater(out, body, 2 * third, body.length, lastPartMillis);

            Answer answer = RawHttp.read(socket.getInputStream());

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("\"status\":\"applied\"");
        }
    }

    @Test
    void a_kept_alive_connection_waits_for_its_next_request_beyond_the_header_timeout_and_is_closed_when_idle()
            throws Exception {
        try (Socket socket = RawHttp.connect(InetAddress.getLoopbackAddress(), port, IDLE_TIMEOUT.plus(MARGIN).plusSeconds(2))) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(signedDelivery(user("user_kept_alive_1")));
            out.flush();
            assertThat(RawHttp.read(in).status()).isEqualTo(200);

            // Quiet for longer than the header timeout, shorter than the idle timeout.
            long quietMillis = (HEADER_TIMEOUT.toMillis() + IDLE_TIMEOUT.toMillis()) / 2;
            pacer.schedule(() -> write(out, signedDelivery(user("user_kept_alive_2"))), quietMillis, TimeUnit.MILLISECONDS);
            assertThat(RawHttp.read(in).status()).as("the second request on the same connection").isEqualTo(200);

            long idleSince = System.nanoTime();
            assertThat(RawHttp.endedWithoutAnswer(socket)).isTrue();
            Duration idle = Duration.ofNanos(System.nanoTime() - idleSince);
            assertThat(idle).isBetween(IDLE_TIMEOUT.minus(EARLY), IDLE_TIMEOUT.plus(MARGIN));
        }
        assertThat(Metrics.value(service, "clerk_sync_connections_closed_total", "reason", "idle_timeout")).isGreaterThanOrEqualTo(1);
    }

    private byte[] signedDelivery(String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        byte[] head = RawHttp.head("POST", WebhookClient.PATH, client.signedHeaders(WebhookClient.newMessageId(), payload), body.length);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private void sendLater(OutputStream out, byte[] bytes, int from, int to, long delayMillis) {
        byte[] part = Arrays.copyOfRange(bytes, from, to);
        pacer.schedule(() -> write(out, part), delayMillis, TimeUnit.MILLISECONDS);
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the connection was closed: the reading side of the test reports it
        }
    }

    private static String user(String id) {
        return ClerkEvents.user("user.created", id, System.currentTimeMillis()).json();
    }

    private static long timed(Runnable step) {
        long started = System.nanoTime();
        step.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}

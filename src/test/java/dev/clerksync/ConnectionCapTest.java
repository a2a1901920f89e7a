package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.Metrics;
import dev.clerksync.support.RawHttp;
import dev.clerksync.support.RawHttp.Answer;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.SyncStack;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WEBHOOK_MAX_CONNECTIONS_PER_ADDRESS (docs/reliability.md): an address with all its connections
 * open has the next one closed at once, unanswered; another address is served, and so is the first
 * again once one of its connections has closed. A trusted proxy has no cap. Addresses are the TCP
 * peer's: every 127.x.y.z is loopback on Linux, so a socket bound to one is a client of its own.
 */
class ConnectionCapTest {

    static final int PER_ADDRESS = 20;
    /** Far below the header timeout (10 s by default), which would close an unrefused connection too. */
    static final Duration REFUSED_WITHIN = Duration.ofSeconds(1);
    static final byte[] HELD = RawHttp.head("GET", "/held", Map.of(), 0);

    @RegisterExtension
    static final SyncStack stack = SyncStack.bothStores()
            .with("clerk.webhook.max-connections-per-address", Integer.toString(PER_ADDRESS));

    final RunningService service = stack.service();
    final WebhookClient client = stack.client();
    final int port = URI.create(service.baseUrl()).getPort();

    @Test
    void an_address_at_its_cap_has_the_next_connection_refused_while_another_address_gets_through() throws Exception {
        InetAddress crowded = InetAddress.getByName("127.0.0.3");
        InetAddress other = InetAddress.getByName("127.0.0.4");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                held.add(served(crowded, port));
            }

            try (Socket extra = RawHttp.connect(crowded, port, Duration.ofSeconds(5))) {
                long started = System.nanoTime();
                assertThat(RawHttp.endedWithoutAnswer(extra)).as("connection %d from %s", PER_ADDRESS + 1, crowded).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REFUSED_WITHIN);
            }

            String payload = ClerkEvents.user("user.created", "user_cap_other_address", System.currentTimeMillis()).json();
            try (Socket fromOther = RawHttp.connect(other, port, Duration.ofSeconds(10))) {
                byte[] body = payload.getBytes(StandardCharsets.UTF_8);
                fromOther.getOutputStream().write(RawHttp.head("POST", WebhookClient.PATH,
                        client.signedHeaders(WebhookClient.newMessageId(), payload), body.length));
                fromOther.getOutputStream().write(body);
                Answer answer = RawHttp.read(fromOther.getInputStream());
                assertThat(answer.status()).as("a signed delivery from %s", other).isEqualTo(200);
                assertThat(answer.body()).contains("\"status\":\"applied\"");
            }

            held.remove(0).close();
            // The server sees the close on its own event loop: the address has a free connection soon after.
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> servedAgain(crowded, port, held));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        assertThat(Metrics.value(service, "clerk_sync_connections_closed_total", "reason", "address_limit")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_trusted_proxy_has_no_cap_and_an_untrusted_address_beside_it_has() throws Exception {
        InetAddress proxy = InetAddress.getByName("127.0.0.5");
        InetAddress untrusted = InetAddress.getByName("127.0.0.6");
        int cap = 2;
        Map<String, String> settings = RunningService.storeSettings(stack.postgres(), stack.mongo());
        settings.put("clerk.webhook.max-connections-per-address", Integer.toString(cap));
        settings.put("clerk.webhook.trusted-proxies", proxy.getHostAddress());
        List<Socket> held = new ArrayList<>();
        try (RunningService behindProxy = RunningService.start(settings)) {
            int proxiedPort = URI.create(behindProxy.baseUrl()).getPort();
            for (int i = 0; i < cap * 3; i++) {
                held.add(served(proxy, proxiedPort));
            }
            for (int i = 0; i < cap; i++) {
                held.add(served(untrusted, proxiedPort));
            }
            try (Socket extra = RawHttp.connect(untrusted, proxiedPort, Duration.ofSeconds(5))) {
                assertThat(RawHttp.endedWithoutAnswer(extra)).isTrue();
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** A connection from {@code source} that has been answered once and is kept alive. */
    private static Socket served(InetAddress source, int port) throws IOException {
        Socket socket = RawHttp.connect(source, port, Duration.ofSeconds(5));
        try {
            socket.getOutputStream().write(HELD);
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(404);
            return socket;
        } catch (IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
    }

    /** True once a new connection from {@code source} is served (and then kept in {@code held}). */
    private static boolean servedAgain(InetAddress source, int port, List<Socket> held) throws IOException {
        try {
            held.add(served(source, port));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}

package dev.clerksync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The per-address cap's bookkeeping; ConnectionCapTest shows it on real connections. */
class WebhookConnectionsTest {

    static final InetAddress CLIENT = address("192.0.2.1");
    static final InetAddress OTHER = address("192.0.2.2");
    static final InetAddress PROXY = address("10.0.0.7");

    @Test
    void an_address_gets_its_connections_back_as_they_close() {
        WebhookConnections connections = withCap(3);

        assertThat(IntStream.range(0, 4).mapToObj(i -> connections.admit(CLIENT))).containsExactly(true, true, true, false);
        assertThat(connections.admit(OTHER)).isTrue();

        connections.release(CLIENT);
        assertThat(connections.admit(CLIENT)).isTrue();
        assertThat(connections.admit(CLIENT)).isFalse();
    }

    @Test
    void zero_is_no_cap() {
        WebhookConnections connections = withCap(0);

        assertThat(IntStream.range(0, 1_000).allMatch(i -> connections.admit(CLIENT))).isTrue();
    }

    @Test
    void a_trusted_proxy_has_no_cap() {
        WebhookConnections connections = withCap(1);

        assertThat(IntStream.range(0, 10).allMatch(i -> connections.admit(PROXY))).isTrue();
        assertThat(connections.admit(CLIENT)).isTrue();
        assertThat(connections.admit(CLIENT)).isFalse();
    }

    private static WebhookConnections withCap(int perAddress) {
        return new WebhookConnections(8080, 10, 75, perAddress, ClientAddresses.trusting("10.0.0.0/8"),
                new DeliveryMetrics(new SimpleMeterRegistry()));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

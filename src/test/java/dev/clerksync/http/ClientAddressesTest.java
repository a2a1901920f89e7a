package dev.clerksync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clerksync.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    @Test
    void without_trusted_proxies_the_peer_is_the_client() {
        assertThat(ClientAddresses.trusting("").clientOf("192.0.2.1", "198.51.100.9")).isEqualTo("192.0.2.1");
    }

    @Test
    void a_trusted_proxy_passes_on_the_nearest_untrusted_forwarded_address() {
        ClientAddresses addresses = ClientAddresses.trusting("10.0.0.0/8, 192.0.2.1");

        assertThat(addresses.clientOf("10.1.2.3", "198.51.100.9")).isEqualTo("198.51.100.9");
        assertThat(addresses.clientOf("10.1.2.3", "203.0.113.5, 198.51.100.9, 192.0.2.1")).isEqualTo("198.51.100.9");
    }

    @Test
    void a_forwarded_chain_of_trusted_proxies_only_falls_back_to_the_peer() {
        assertThat(ClientAddresses.trusting("10.0.0.0/8").clientOf("10.0.0.1", "10.0.0.2, 10.0.0.3")).isEqualTo("10.0.0.1");
    }

    @Test
    void a_forwarded_entry_that_is_not_an_address_stops_the_walk() {
        assertThat(ClientAddresses.trusting("10.0.0.0/8").clientOf("10.0.0.1", "evil.example, 10.0.0.2")).isEqualTo("10.0.0.1");
    }

    @Test
    void ipv6_ranges_are_understood() {
        assertThat(ClientAddresses.trusting("fd00::/8").clientOf("fd12::1", "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(ClientAddresses.trusting("fd00::/8").clientOf("2001:db8::1", "2001:db8::7")).isEqualTo("2001:db8::1");
    }

    @Test
    void a_malformed_trusted_proxy_names_the_variable() {
        assertThatThrownBy(() -> ClientAddresses.trusting("proxy.internal")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("TRUSTED_PROXIES");
        assertThatThrownBy(() -> ClientAddresses.trusting("10.0.0.0/33")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("TRUSTED_PROXIES");
    }
}

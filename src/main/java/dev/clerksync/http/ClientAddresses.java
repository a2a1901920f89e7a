package dev.clerksync.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import dev.clerksync.InvalidConfigurationException;

/**
 * Which address a request comes from, for the rate limit. The peer's address, unless the peer is
 * one of {@code TRUSTED_PROXIES} (addresses or CIDR ranges): then the nearest address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. A header from an untrusted peer is
 * ignored, or any client could pick its own bucket.
 */
public final class ClientAddresses {

    private final List<Range> trustedProxies;

    private ClientAddresses(List<Range> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public static ClientAddresses trusting(String trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : trustedProxies.split("[\\s,]+")) {
            if (!entry.isBlank()) {
                ranges.add(Range.parse(entry.trim()));
            }
        }
        return new ClientAddresses(List.copyOf(ranges));
    }

    /** The client's address as text, from the peer's IP address and the X-Forwarded-For header. */
    public String clientOf(String peerIp, String forwardedFor) {
        InetAddress peer = peerIp == null ? null : literal(peerIp);
        if (peer == null || forwardedFor == null || !trusts(peer)) {
            return peerIp == null ? "unknown" : peerIp;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i].trim());
            if (hop == null) {
                break;
            }
            if (!trusts(hop)) {
                return hop.getHostAddress();
            }
        }
        return peerIp;
    }

    /** Whether the address is one of {@code TRUSTED_PROXIES}. */
    boolean trusts(InetAddress address) {
        return trustedProxies.stream().anyMatch(range -> range.contains(address));
    }

    /** A literal IPv4 or IPv6 address, never a name lookup; null when the text is not one. */
    private static InetAddress literal(String text) {
        if (text.isEmpty() || !text.matches("[0-9a-fA-F.:]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int prefixBits) {

        static Range parse(String entry) {
            String[] parts = entry.split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new InvalidConfigurationException("TRUSTED_PROXIES entry '" + entry
                        + "' is not an IP address or CIDR range");
            }
            byte[] bytes = address.getAddress();
            int bits = bytes.length * 8;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8) {
                    throw new InvalidConfigurationException("TRUSTED_PROXIES entry '" + entry + "' has a bad prefix length");
                }
            }
            return new Range(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}

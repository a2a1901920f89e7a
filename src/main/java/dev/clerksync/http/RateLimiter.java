package dev.clerksync.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.clerksync.verify.RejectedDeliveryException;
import io.vertx.core.net.SocketAddress;
import dev.clerksync.verify.RejectionReason;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code WEBHOOK_RATE_LIMIT} requests per second per client address, as a token bucket that holds
 * one second's worth. It runs before verification, so that a flood of forged requests costs a map
 * lookup each, not an HMAC. {@code 0} turns it off.
 */
public final class RateLimiter implements Processor {

    static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Buckets of clients quiet for this long are forgotten, so the map cannot grow without end. */
    static final long IDLE_NANOS = 60_000_000_000L;
    static final int SWEEP_ABOVE = 10_000;

    private final double perSecond;
    private final ClientAddresses addresses;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perSecond, ClientAddresses addresses) {
        this.perSecond = perSecond;
        this.addresses = addresses;
    }

    @Override
    public void process(Exchange exchange) throws RejectedDeliveryException {
        if (perSecond <= 0) {
            return;
        }
        SocketAddress peer = exchange.getMessage().getHeader(REMOTE_ADDRESS, SocketAddress.class);
        String client = addresses.clientOf(peer == null ? null : peer.hostAddress(),
                exchange.getMessage().getHeader(FORWARDED_FOR, String.class));
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
        }
        if (!buckets.computeIfAbsent(client, key -> new Bucket(perSecond, now)).take(perSecond, now)) {
            throw new RejectedDeliveryException(RejectionReason.RATE_LIMITED);
        }
    }

    /** A token bucket: refills at the rate, holds at most one second's worth. */
    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        synchronized boolean take(double perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - updated) * perSecond / 1e9);
            updated = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized long idleSince(long now) {
            return now - updated;
        }
    }
}

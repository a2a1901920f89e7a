package dev.clerksync.backfill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pacer against a manual clock: waiting moves the clock, so nothing really sleeps. */
class RequestPacerTest {

    private long now = 1_000_000_000L;
    private final List<Long> sent = new ArrayList<>();

    private RequestPacer pacer(int rate) {
        return new RequestPacer(rate, () -> now, nanos -> now += nanos);
    }

    private void send(RequestPacer pacer, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            pacer.acquire();
            sent.add(now);
        }
    }

    @Test
    void spaces_requests_evenly_at_the_rate() throws InterruptedException {
        send(pacer(4), 9);

        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i) - sent.get(i - 1)).isEqualTo(Duration.ofMillis(250).toNanos());
        }
        assertThat(sent.get(8) - sent.get(0)).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void does_not_wait_when_requests_are_already_slower_than_the_rate() throws InterruptedException {
        RequestPacer pacer = pacer(4);
        send(pacer, 1);
        now += Duration.ofSeconds(1).toNanos();
        long before = now;

        send(pacer, 1);

        assertThat(sent.get(1)).isEqualTo(before);
    }

    @Test
    void sends_nothing_before_a_pause_has_passed_even_without_a_rate() throws InterruptedException {
        RequestPacer pacer = pacer(0);
        send(pacer, 3);
        long pausedAt = now;

        pacer.pauseFor(Duration.ofSeconds(7));
        send(pacer, 2);

        assertThat(sent.subList(0, 3)).containsOnly(pausedAt);
        assertThat(sent.get(3)).isEqualTo(pausedAt + Duration.ofSeconds(7).toNanos());
        assertThat(sent.get(4)).isEqualTo(sent.get(3));
    }

    @Test
    void keeps_the_spacing_after_a_pause() throws InterruptedException {
        RequestPacer pacer = pacer(2);
        send(pacer, 1);
        pacer.pauseFor(Duration.ofSeconds(3));

        send(pacer, 2);

        assertThat(sent.get(1) - sent.get(0)).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(sent.get(2) - sent.get(1)).isEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test
    void a_negative_rate_is_refused() {
        assertThatThrownBy(() -> pacer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DeliveryCursorTest {

    @Test
    void a_cursor_survives_its_round_trip_through_text_whatever_its_event_id_holds() {
        DeliveryCursor cursor = new DeliveryCursor(Instant.parse("2026-01-02T03:04:05.678Z"), "backfill:run|1:user_1");

        assertThat(DeliveryCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void within_one_millisecond_the_larger_event_id_comes_first() {
        Instant same = Instant.parse("2026-01-02T03:04:05.678Z");
        DeliveryCursor a = new DeliveryCursor(same, "msg_a");
        DeliveryCursor b = new DeliveryCursor(same, "msg_b");
        DeliveryCursor later = new DeliveryCursor(same.plusMillis(1), "msg_0");

        assertThat(b.compareNewestFirst(a)).isNegative();
        assertThat(later.compareNewestFirst(b)).isNegative();
    }

    @Test
    void text_that_is_not_a_cursor_is_refused() {
        assertThatThrownBy(() -> DeliveryCursor.decode("!!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeliveryCursor.decode("bm8tYmFy")).isInstanceOf(IllegalArgumentException.class);
    }
}

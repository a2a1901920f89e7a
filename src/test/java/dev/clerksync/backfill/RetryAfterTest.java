package dev.clerksync.backfill;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    @Test
    void reads_seconds_as_clerk_sends_them() {
        assertThat(RetryAfter.parse("7")).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ")).contains(Duration.ZERO);
    }

    @Test
    void reads_an_http_date_as_the_time_left_until_it() {
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));

        assertThat(RetryAfter.parse(inTenSeconds)).get()
                .satisfies(wait -> assertThat(wait).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2015 00:00:00 GMT")).contains(Duration.ZERO);
    }

    @Test
    void anything_else_is_no_answer() {
        assertThat(RetryAfter.parse(null)).isEmpty();
        assertThat(RetryAfter.parse("")).isEmpty();
        assertThat(RetryAfter.parse("-3")).isEmpty();
        assertThat(RetryAfter.parse("soon")).isEmpty();
    }
}

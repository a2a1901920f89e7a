package dev.clerksync.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class AdminCredentialsTest {

    final AdminCredentials credentials = new AdminCredentials("s3cret-token");

    @Test
    void the_token_is_accepted_as_bearer_or_as_the_basic_password_of_any_user() {
        assertThat(credentials.accepts("Bearer s3cret-token")).isTrue();
        assertThat(credentials.accepts("bearer s3cret-token")).isTrue();
        assertThat(credentials.accepts(basic("anyone:s3cret-token"))).isTrue();
        assertThat(credentials.accepts(basic(":s3cret-token"))).isTrue();
    }

    @Test
    void anything_else_is_refused() {
        assertThat(credentials.accepts(null)).isFalse();
        assertThat(credentials.accepts("")).isFalse();
        assertThat(credentials.accepts("Bearer")).isFalse();
        assertThat(credentials.accepts("Bearer s3cret-toke")).isFalse();
        assertThat(credentials.accepts("Bearer s3cret-token2")).isFalse();
        assertThat(credentials.accepts(basic("s3cret-token:wrong"))).isFalse();
        assertThat(credentials.accepts(basic("s3cret-token"))).isFalse();
        assertThat(credentials.accepts("Basic %%%not-base64")).isFalse();
        assertThat(credentials.accepts("Token s3cret-token")).isFalse();
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}

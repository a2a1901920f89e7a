package dev.clerksync.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.stream.Stream;

import dev.clerksync.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretsTest {

    private static final String KEY_A = "trpbO1xpFp9nZNA3qrkCowQFPthE5u0O";
    private static final String KEY_B = "OuExNO3HXW+EhPFW4GbZgGEZxUUNZFjr";
    private static final String KEY_C = "wTNP2ese7xSAzYydhrncxdwZ7cFSe0e6";
    /** 16 bytes, the shortest key accepted. */
    private static final String KEY_16_BYTES = "DiHXsEbmuXx8OnbYj3lA5w==";
    /** 15 bytes. */
    private static final String KEY_15_BYTES = "/UDz4Vaa6wM9ZStanoRW";
    private static final String NOT_BASE64 = "s3cr3t*not!base64";

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", " \t\n "})
    void refuses_a_missing_or_blank_secret_and_names_the_variable(String value) {
        assertThat(refusalOf(value)).hasMessageContaining("CLERK_WEBHOOK_SECRET");
    }

    @Test
    void refuses_a_secret_without_the_whsec_prefix() {
        assertThat(refusalOf(KEY_A)).hasMessageContaining("CLERK_WEBHOOK_SECRET").hasMessageContaining("whsec_");
    }

    @Test
    void refuses_a_key_that_is_not_base64() {
        assertThat(refusalOf("whsec_" + NOT_BASE64))
                .hasMessageContaining("CLERK_WEBHOOK_SECRET").hasMessageContaining("base64");
    }

    @Test
    void refuses_a_key_shorter_than_16_bytes() {
        assertThat(refusalOf("whsec_" + KEY_15_BYTES))
                .hasMessageContaining("CLERK_WEBHOOK_SECRET").hasMessageContaining("16 bytes");
    }

    @Test
    void accepts_a_key_of_exactly_16_bytes() {
        assertThat(WebhookSecrets.parse("whsec_" + KEY_16_BYTES).count()).isEqualTo(1);
    }

    @Test
    void names_the_position_of_the_malformed_entry() {
        assertThat(refusalOf("whsec_" + KEY_A + ",whsec_" + KEY_15_BYTES)).hasMessageContaining("entry 2");
    }

    @ParameterizedTest(name = "\"{0}\" holds {1}")
    @MethodSource("secretLists")
    void counts_every_secret_of_a_comma_or_space_separated_list(String value, int count) {
        assertThat(WebhookSecrets.parse(value).count()).isEqualTo(count);
    }

    static Stream<Arguments> secretLists() {
        return Stream.of(
                Arguments.of("whsec_" + KEY_A + ",whsec_" + KEY_B, 2),
                Arguments.of("whsec_" + KEY_A + " whsec_" + KEY_B + " whsec_" + KEY_C, 3),
                Arguments.of("  whsec_" + KEY_A + " ,\twhsec_" + KEY_B + ", whsec_" + KEY_C + "  ", 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            KEY_A,
            "whsec_" + NOT_BASE64,
            "whsec_" + KEY_15_BYTES,
            "whsec_" + KEY_A + ",whsec_" + NOT_BASE64,
            "whsec_" + KEY_A + " " + KEY_B})
    void never_puts_the_secret_text_in_its_message(String value) {
        String message = refusalOf(value).getMessage();

        for (String entry : value.split("[\\s,]+")) {
            assertThat(message).doesNotContain(entry).doesNotContain(entry.replaceFirst("^whsec_", ""));
        }
    }

    private static Throwable refusalOf(String value) {
        Throwable thrown = catchThrowable(() -> WebhookSecrets.parse(value));
        assertThat(thrown).isInstanceOf(InvalidConfigurationException.class);
        return thrown;
    }
}

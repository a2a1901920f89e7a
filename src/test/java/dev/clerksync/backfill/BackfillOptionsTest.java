package dev.clerksync.backfill;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.clerksync.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BackfillOptionsTest {

    private static final String KEY = "sk_test_OptionsTestKey1234567890";
    private static final Map<String, String> ENV = Map.of("CLERK_SECRET_KEY", KEY);

    static Stream<Arguments> commandLines() {
        // args, users, organizations, reconcile, resume, rate
        return Stream.of(
                arguments(List.of(), true, true, false, false, 20),
                arguments(List.of("--users"), true, false, false, false, 20),
                arguments(List.of("--organizations"), false, true, false, false, 20),
                arguments(List.of("--users", "--organizations"), true, true, false, false, 20),
                arguments(List.of("--reconcile"), true, true, true, false, 20),
                arguments(List.of("--resume", "--users"), true, false, false, true, 20),
                arguments(List.of("--rate", "5"), true, true, false, false, 5),
                arguments(List.of("--rate=0"), true, true, false, false, 0),
                arguments(List.of("--rate", "100", "--organizations", "--reconcile", "--resume"), false, true, true, true, 100),
                arguments(List.of("--users", "--users"), true, false, false, false, 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void reads_the_command_line(List<String> args, boolean users, boolean organizations, boolean reconcile, boolean resume, int rate) {
        BackfillOptions options = BackfillCommand.parse(args, ENV);

        assertThat(options.users()).isEqualTo(users);
        assertThat(options.organizations()).isEqualTo(organizations);
        assertThat(options.reconcile()).isEqualTo(reconcile);
        assertThat(options.resume()).isEqualTo(resume);
        assertThat(options.rate()).isEqualTo(rate);
        assertThat(options.secretKey()).isEqualTo(KEY);
        assertThat(options.apiUrl()).isEqualTo(URI.create("https://api.clerk.com/v1"));
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                arguments(List.of("--bogus"), "unknown option '--bogus'"),
                arguments(List.of("users"), "unknown option 'users'"),
                arguments(List.of("-u"), "unknown option '-u'"),
                arguments(List.of("--rate"), "--rate needs a number"),
                arguments(List.of("--rate", "fast"), "--rate must be a whole number"),
                arguments(List.of("--rate", "-1"), "--rate must be a whole number"),
                arguments(List.of("--rate", "101"), "--rate must be a whole number"),
                arguments(List.of("--rate=1.5"), "--rate must be a whole number"),
                arguments(List.of("--rate="), "--rate must be a whole number"),
                arguments(List.of("--dry-run"), "--dry-run goes with --reconcile"),
                arguments(List.of("--users", "--dry-run"), "--dry-run goes with --reconcile"),
                arguments(List.of("--reconcile", "--dry-run", "--resume"), "--dry-run cannot --resume"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void an_unknown_option_or_a_bad_value_is_a_usage_error(List<String> args, String message) {
        assertThatThrownBy(() -> BackfillCommand.parse(args, ENV))
                .isInstanceOf(BackfillUsageException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void dry_run_goes_with_reconcile() {
        assertThat(BackfillCommand.parse(List.of("--reconcile", "--dry-run"), ENV).dryRun()).isTrue();
        assertThat(BackfillCommand.parse(List.of("--reconcile"), ENV).dryRun()).isFalse();
    }

    @Test
    void without_a_key_it_says_what_is_missing() {
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("CLERK_SECRET_KEY is not set: backfill needs a Clerk secret key (sk_…)");
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY", "  ")))
                .hasMessage("CLERK_SECRET_KEY is not set: backfill needs a Clerk secret key (sk_…)");
    }

    @Test
    void reads_the_key_from_a_file_without_its_line_end(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("clerk-key"), KEY + "\n");

        BackfillOptions options = BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY_FILE", file.toString()));

        assertThat(options.secretKey()).isEqualTo(KEY);
    }

    @Test
    void both_a_key_and_a_key_file_is_an_error(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("clerk-key"), KEY);
        Map<String, String> env = Map.of("CLERK_SECRET_KEY", KEY, "CLERK_SECRET_KEY_FILE", file.toString());

        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("both set")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void an_unreadable_key_file_is_an_error(@TempDir Path dir) {
        Map<String, String> env = Map.of("CLERK_SECRET_KEY_FILE", dir.resolve("missing").toString());

        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), env))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("CLERK_SECRET_KEY_FILE cannot be read");
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY_FILE", dir.toString())))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void a_key_that_is_not_a_secret_key_is_refused_without_being_shown(@TempDir Path dir) throws IOException {
        String publishable = "pk_test_PublishableKeyNotSecret0123";
        Path file = Files.writeString(dir.resolve("clerk-key"), publishable);

        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY", publishable)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("sk_")
                .hasMessageNotContaining(publishable);
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY_FILE", file.toString())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("CLERK_SECRET_KEY_FILE")
                .hasMessageNotContaining(publishable);
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY", "sk_")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> BackfillCommand.parse(List.of(), Map.of("CLERK_SECRET_KEY", "sk_test one")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void the_api_url_can_be_set_and_loses_a_trailing_slash() {
        Map<String, String> env = new HashMap<>(ENV);
        env.put("CLERK_API_URL", "http://127.0.0.1:8089/v1/");

        assertThat(BackfillCommand.parse(List.of(), env).apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8089/v1"));
    }

    @Test
    void an_api_url_that_is_not_http_is_a_configuration_error() {
        for (String url : List.of("ftp://api.clerk.com/v1", "api.clerk.com/v1", "https://", "https://api.clerk.com/v1?x=1")) {
            Map<String, String> env = new HashMap<>(ENV);
            env.put("CLERK_API_URL", url);

            assertThatThrownBy(() -> BackfillCommand.parse(List.of(), env)).as(url)
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageStartingWith("CLERK_API_URL");
        }
    }

    @Test
    void the_options_never_show_the_key() {
        assertThat(BackfillCommand.parse(List.of(), ENV).toString()).doesNotContain(KEY).contains("rate=20");
    }

    @Test
    void the_usage_names_every_option() {
        assertThat(BackfillCommand.USAGE).contains("--users", "--organizations", "--reconcile", "--resume", "--rate N",
                "CLERK_SECRET_KEY", "CLERK_SECRET_KEY_FILE", "CLERK_API_URL");
    }
}

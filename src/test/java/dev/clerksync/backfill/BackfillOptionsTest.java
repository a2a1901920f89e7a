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
        // args, users, organizations, billing, reconcile, resume, rate
        return Stream.of(
                arguments(List.of(), true, true, true, false, false, 20),
                arguments(List.of("--users"), true, false, false, false, false, 20),
                arguments(List.of("--organizations"), false, true, false, false, false, 20),
                arguments(List.of("--billing"), false, false, true, false, false, 20),
                arguments(List.of("--users", "--organizations"), true, true, false, false, false, 20),
                arguments(List.of("--users", "--billing"), true, false, true, false, false, 20),
                arguments(List.of("--reconcile"), true, true, true, true, false, 20),
                arguments(List.of("--resume", "--users"), true, false, false, false, true, 20),
                arguments(List.of("--rate", "5"), true, true, true, false, false, 5),
                arguments(List.of("--rate=0"), true, true, true, false, false, 0),
                arguments(List.of("--rate", "100", "--organizations", "--reconcile", "--resume"), false, true, false, true, true, 100),
                arguments(List.of("--users", "--users"), true, false, false, false, false, 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void reads_the_command_line(List<String> args, boolean users, boolean organizations, boolean billing, boolean reconcile,
                                boolean resume, int rate) {
        BackfillOptions options = BackfillCommand.parse(args, ENV);

        assertThat(options.users()).isEqualTo(users);
        assertThat(options.organizations()).isEqualTo(organizations);
        assertThat(options.billing()).isEqualTo(billing);
        assertThat(options.reconcile()).isEqualTo(reconcile);
        assertThat(options.resume()).isEqualTo(resume);
        assertThat(options.rate()).isEqualTo(rate);
        assertThat(options.secretKey()).isEqualTo(KEY);
        assertThat(options.apiUrl()).isEqualTo(URI.create("https://api.clerk.com/v1"));
    }

    @Test
    void the_usage_names_every_option() {
        assertThat(BackfillCommand.USAGE).contains("--users", "--organizations", "--billing", "--reconcile", "--resume", "--rate N",
                "CLERK_SECRET_KEY", "CLERK_SECRET_KEY_FILE", "CLERK_API_URL");
    }
}

package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The command line (contract §0): help on standard output, a wrong word named on standard error. */
class CommandLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void help_prints_the_usage_to_standard_output_and_exits_0(String word) {
        Answer answer = answer(word);

        assertThat(answer.status()).isZero();
        assertThat(answer.out()).startsWith("usage: java -jar clerk-sync.jar").contains("send-test", "backfill", "--version");
        assertThat(answer.err()).isEmpty();
    }

    @Test
    void an_unknown_command_or_option_is_named_and_the_usage_goes_to_standard_error_with_exit_2() {
        Answer command = answer("frobnicate");
        Answer option = answer("--frobnicate");

        assertThat(command.status()).isEqualTo(2);
        assertThat(command.err()).startsWith("unknown command: frobnicate\nusage: java -jar clerk-sync.jar");
        assertThat(command.out()).isEmpty();
        assertThat(option.status()).isEqualTo(2);
        assertThat(option.err()).startsWith("unknown option: --frobnicate\nusage: ");
    }

    @Test
    void the_usage_names_every_environment_variable_the_service_reads() throws IOException {
        // Settings only: the header comment shows the form with a NAME of its own.
        String settings = Files.readAllLines(Path.of("application.properties")).stream()
                .filter(line -> !line.startsWith("#")).collect(Collectors.joining("\n"));
        var variables = Pattern.compile("\\{\\{env:([A-Z_]+):").matcher(settings).results().map(m -> m.group(1)).toList();

        assertThat(variables).hasSizeGreaterThan(20);
        assertThat(ClerkSyncApplication.USAGE).contains(variables)
                .contains("CLERK_SECRET_KEY", "CLERK_API_URL", "LOG_FORMAT", "http://localhost:MANAGEMENT_PORT/admin/");
    }

    private static Answer answer(String word) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ClerkSyncApplication.run(List.of(word), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Answer(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Answer(int status, String out, String err) {
    }
}

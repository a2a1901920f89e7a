package dev.clerksync.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.CommandLines;
import dev.clerksync.backfill.BackfillCommand;

/**
 * Runs {@code backfill} in this JVM as the command line does (same entry point, same settings), on
 * the test stores and against a {@link FakeClerkApi}, and keeps what it printed.
 */
public final class BackfillRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> storeSettings;
    private final FakeClerkApi clerk;

    public BackfillRunner(PostgresDatabase postgres, MongoTestServer mongo, FakeClerkApi clerk) {
        this(postgres, mongo, clerk, Map.of());
    }

    /** With settings over the stores' (a broker, say: then the backfill's changes write their change events). */
    public BackfillRunner(PostgresDatabase postgres, MongoTestServer mongo, FakeClerkApi clerk, Map<String, String> settings) {
        this.storeSettings = new HashMap<>(RunningService.storeSettings(postgres, mongo));
        this.storeSettings.putAll(settings);
        this.clerk = clerk;
    }

    /** What one run did: its exit status, standard output and standard error. */
    public record Run(int status, String out, String err) {

        /** The last line of standard output: the JSON summary. */
        public JsonNode summary() {
            String[] lines = out.strip().split("\n");
            try {
                return JSON.readTree(lines[lines.length - 1]);
            } catch (Exception e) {
                throw new IllegalStateException("no JSON summary as the last line of: " + out, e);
            }
        }
    }

    public Run run(String... args) {
        return runWithKey(FakeClerkApi.KEY, args);
    }

    public Run runWithKey(String key, String... args) {
        return run(key, clerk.baseUrl().toString(), args);
    }

    /** Against another Clerk API URL than the fake's (one where nothing answers, say). */
    public Run runAgainst(String apiUrl, String... args) {
        return run(FakeClerkApi.KEY, apiUrl, args);
    }

    private Run run(String key, String apiUrl, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("CLERK_SECRET_KEY", key);
        env.put("CLERK_API_URL", apiUrl);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = CommandLines.execute(new BackfillCommand(env, Path.of(""), new HashMap<>(storeSettings), outStream, errStream),
                    List.of(args), outStream, errStream);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

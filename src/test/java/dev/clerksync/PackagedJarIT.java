package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.ServiceProcess;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a user runs it (README "Run it", docs/operations.md): from any directory it uses the routes and
 * properties packed in it; LOG_FORMAT=json gives one JSON object per line; no secret, signature or
 * email address reaches the log; a missing secret stops it with exit status 2.
 */
class PackagedJarIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path elsewhere;

    @Test
    void run_from_another_directory_with_json_logs_it_serves_and_logs_nothing_secret() throws Exception {
        Path log = elsewhere.resolve("service.log");
        ServiceProcess service = new ServiceProcess(Map.of(
                "CLERK_WEBHOOK_SECRET", RunningService.SECRET,
                "LOG_FORMAT", "json",
                "CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString()), log).in(elsewhere);
        long launched = System.nanoTime();
        service.launch();
        try {
            WebhookClient client = new WebhookClient(service.baseUrl(), RunningService.SECRET);
            String firstEvent = ClerkEvents.fixture("session.created.json");
            Response first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                    .until(() -> client.send(firstEvent), response -> response.status() == 200);
            System.out.printf("packaged jar: start-up to the first accepted delivery: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));
            assertThat(first.field("status")).isEqualTo("ignored");

            String svixId = WebhookClient.newMessageId();
            String user = ClerkEvents.user("user.created", "user_jar", 1_730_000_000_000L).email("secret.person@example.com").json();
            Map<String, String> headers = client.signedHeaders(svixId, user);
            assertThat(client.post(WebhookClient.PATH, headers, user.getBytes(StandardCharsets.UTF_8)).field("status"))
                    .isEqualTo("applied");
            Map<String, String> forged = new LinkedHashMap<>(headers);
            forged.put("svix-signature", "v1,Zm9yZ2VkIHNpZ25hdHVyZQ==");
            assertThat(client.post(WebhookClient.PATH, forged, user.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(401);

            assertThat(service.terminate(Duration.ofSeconds(30))).isZero();

            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(JSON.readTree(line).has("level")).isTrue());
            String text = String.join("\n", lines);
            assertThat(text).contains("from the jar").contains(svixId)
                    .doesNotContain(RunningService.SECRET.substring("whsec_".length()))
                    .doesNotContain(headers.get("svix-signature").substring(3))
                    .doesNotContain("Zm9yZ2VkIHNpZ25hdHVyZQ")
                    .doesNotContain("secret.person");
        } finally {
            if (service.isAlive()) {
                service.kill();
            }
        }
    }

    /** scripts/cds-archive.sh, as docs/production.md documents it for a faster start-up. */
    @Test
    void the_class_data_sharing_script_makes_an_archive_the_jvm_accepts() throws Exception {
        Path log = elsewhere.resolve("cds.log");
        Process script = new ProcessBuilder("bash", "scripts/cds-archive.sh")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(script.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).as(Files.readString(log)).isZero();

        // -Xshare:on makes the JVM refuse to start when it cannot use the archive.
        Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=target/clerk-sync.jsa", "-jar", "target/clerk-sync.jar", "send-test", "--list")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("user.created");
    }

    @Test
    void without_a_secret_it_exits_2_naming_the_variable() throws Exception {
        Path log = elsewhere.resolve("no-secret.log");
        Process process = new ServiceProcess(Map.of("CLERK_WEBHOOK_SECRET", "",
                "CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString()), log).in(elsewhere).launch();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("clerk-sync cannot start: CLERK_WEBHOOK_SECRET is not set")
                .doesNotContain("SIGTERM");
    }

    @Test
    void run_from_another_directory_with_one_store_it_leaves_the_other_stores_routes_out() throws Exception {
        Path log = elsewhere.resolve("one-store.log");
        ServiceProcess service = new ServiceProcess(Map.of(
                "CLERK_WEBHOOK_SECRET", RunningService.SECRET,
                "SYNC_STORES", "postgres",
                "CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString()), log).in(elsewhere).start();
        try {
            WebhookClient client = new WebhookClient(service.baseUrl(), RunningService.SECRET);
            String user = ClerkEvents.user("user.created", "user_jar_one_store", 1_730_000_000_000L).json();
            assertThat(client.send(user).field("status")).isEqualTo("applied");
        } finally {
            service.kill();
        }
    }

    @Test
    void backfill_from_the_jar_logs_to_standard_error_and_prints_only_the_summary() throws Exception {
        try (FakeClerkApi clerk = FakeClerkApi.start()) {
            clerk.generateUsers("jar", 3);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", Path.of("target", "clerk-sync.jar").toAbsolutePath().toString(), "backfill", "--users")
                    .directory(elsewhere.toFile())
                    .redirectError(elsewhere.resolve("backfill.err").toFile());
            builder.environment().put("CLERK_SECRET_KEY", FakeClerkApi.KEY);
            builder.environment().put("CLERK_API_URL", clerk.baseUrl().toString());
            builder.environment().put("CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString());
            Process backfill = builder.start();
            String out = new String(backfill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(backfill.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(backfill.exitValue()).as(Files.readString(elsewhere.resolve("backfill.err"))).isZero();
            assertThat(out.strip().lines()).singleElement()
                    .satisfies(line -> assertThat(JSON.readTree(line).path("users").path("applied").asLong()).isEqualTo(3));
            assertThat(Files.readString(elsewhere.resolve("backfill.err"))).contains("clerk-sync backfill: stores")
                    .doesNotContain(FakeClerkApi.KEY);
        }
    }

    @Test
    void backfill_with_clerk_unreachable_says_so_in_a_few_lines_without_camel_s_chatter() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "clerk-sync.jar").toAbsolutePath().toString(), "backfill", "--users")
                .directory(elsewhere.toFile())
                .redirectError(elsewhere.resolve("offline.err").toFile());
        builder.environment().put("CLERK_SECRET_KEY", FakeClerkApi.KEY);
        builder.environment().put("CLERK_API_URL", "http://127.0.0.1:1/v1");
        builder.environment().put("CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString());
        Process backfill = builder.start();
        backfill.getInputStream().readAllBytes();

        assertThat(backfill.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(elsewhere.resolve("offline.err"));
        assertThat(backfill.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("cannot reach the Clerk Backend API at http://127.0.0.1:1/v1 (CLERK_API_URL): connection refused")
                .doesNotContain("--resume").doesNotContain("org.apache.camel").doesNotContain("o.a.c.").doesNotContain("\tat ");
        assertThat(err.lines()).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void start_up_logs_a_few_lines_naming_the_webhook_urls_the_stores_and_how_to_turn_the_admin_view_on() throws Exception {
        Path log = elsewhere.resolve("start-up.log");
        ServiceProcess service = new ServiceProcess(Map.of(
                "CLERK_WEBHOOK_SECRET", RunningService.SECRET,
                "CLERK_SYNC_DATA_DIR", elsewhere.resolve("data").toString()), log).in(elsewhere).start();
        assertThat(service.terminate(Duration.ofSeconds(30))).isZero();

        List<String> info = Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.contains(" INFO ")).toList();
        String webhooks = service.baseUrl().replace("127.0.0.1", "localhost");
        String management = service.managementUrl().replace("127.0.0.1", "localhost");
        assertThat(info).as(String.join("\n", info)).hasSizeBetween(1, 5);
        assertThat(String.join("\n", info)).contains(webhooks + "/api/webhooks/clerk", webhooks + "/api/v1/auth/webhook",
                "embedded SQL database", "embedded MongoDB", management + "/observe/metrics",
                "set ADMIN_TOKEN to turn it on at " + management + "/admin/");
    }

    @Test
    void an_unknown_command_is_named_and_the_usage_goes_to_standard_error_with_exit_2() throws Exception {
        Run run = runJar("serve-everything");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).startsWith("unknown command: serve-everything\n")
                .contains("usage: java -jar clerk-sync.jar").contains("backfill").contains("send-test");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void help_goes_to_standard_output_with_exit_0_and_version_names_the_pom_s() throws Exception {
        Run help = runJar("--help");
        Run version = runJar("--version");

        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("usage: java -jar clerk-sync.jar").contains("CLERK_WEBHOOK_SECRET");
        assertThat(help.err()).isEmpty();
        assertThat(version.status()).isZero();
        assertThat(version.out()).matches("clerk-sync \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    }

    @Test
    void a_database_that_does_not_exist_is_one_line_exit_2_and_no_sigterm() throws Exception {
        Path log = elsewhere.resolve("no-database.log");
        Process process = new ServiceProcess(Map.of("CLERK_WEBHOOK_SECRET", RunningService.SECRET,
                "SYNC_STORES", "postgres",
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/clerk_sync_no_such_database?password=hunter2",
                "DATABASE_USER", "postgres"), log).in(elsewhere).launch();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("clerk-sync cannot start: the database of DATABASE_URL "
                        + "jdbc:postgresql://127.0.0.1:5432/clerk_sync_no_such_database does not exist: "
                        + "create it (createdb -h 127.0.0.1 -p 5432 clerk_sync_no_such_database)")
                .doesNotContain("hunter2").doesNotContain("SIGTERM").doesNotContain("\tat ");
    }

    private Run runJar(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "clerk-sync.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(elsewhere, "stderr", ".txt");
        Process process = new ProcessBuilder(command).directory(elsewhere.toFile()).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    private record Run(int status, String out, String err) {
    }
}

package dev.clerksync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.CommandLines;
import dev.clerksync.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send-test} against the real service, started in this JVM on its embedded stores: what it
 * sends is signed and accepted like a delivery from Svix, and what it prints is what an operator needs.
 */
class SendTestCommandTest {

    private static final String WRONG_SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("not this endpoint's secret".getBytes(StandardCharsets.UTF_8));
    private static final Pattern USER_ID = Pattern.compile("user_id=(user_\\w+)");
    private static final Pattern ORG_ID = Pattern.compile("org_id=(org_\\w+)");
    private static final Pattern MEMBERSHIP_ID = Pattern.compile("membership_id=(orgmem_\\w+)");

    @TempDir
    static Path tempDir;

    private static RunningService service;

    @BeforeAll
    static void startService() {
        service = RunningService.start(Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "postgres,mongodb",
                "clerk.database.url", "",
                "clerk.mongodb.uri", "",
                "clerk.data.dir", tempDir.resolve("data").toString()));
    }

    @AfterAll
    static void stopService() {
        service.close();
    }

    @Test
    void user_created_is_signed_sent_and_applied() {
        Run run = sendTest("user.created");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("POST " + endpoint() + "  user.created  svix-id=msg_")
                .contains("-> 200 ").contains("\"status\":\"applied\"");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void user_id_reuses_the_created_user_so_that_it_can_be_updated_then_deleted() {
        String userId = createdUserId(sendTest("user.created"));

        Run updated = sendTest("user.updated", "--user-id", userId);
        Run deleted = sendTest("user.deleted", "--user-id", userId);

        assertThat(updated.status()).isZero();
        assertThat(updated.out()).contains("user_id=" + userId).contains("\"status\":\"applied\"");
        assertThat(deleted.status()).isZero();
        assertThat(deleted.out()).contains("user_id=" + userId).contains("\"status\":\"applied\"");
        assertThat(sendTest("user.updated", "--user-id", userId).out())
                .as("a deleted user stays deleted").contains("\"status\":\"stale\"");
    }

    @Test
    void an_organization_is_walked_through_create_member_added_member_removed_and_deleted() {
        String userId = createdUserId(sendTest("user.created"));
        Run created = sendTest("organization.created");
        String orgId = printed(ORG_ID, created);

        Run added = sendTest("organizationMembership.created", "--org-id", orgId, "--user-id", userId);
        Run removed = sendTest("organizationMembership.deleted", "--org-id", orgId, "--user-id", userId);
        Run deleted = sendTest("organization.deleted", "--org-id", orgId);

        for (Run run : List.of(created, added, removed, deleted)) {
            assertThat(run.status()).isZero();
            assertThat(run.out()).contains("\"status\":\"applied\"");
        }
        assertThat(added.out()).contains("org_id=" + orgId, "user_id=" + userId);
        assertThat(printed(MEMBERSHIP_ID, removed)).as("the removal names the membership the addition made")
                .isEqualTo(printed(MEMBERSHIP_ID, added));
        assertThat(deleted.out()).contains("org_id=" + orgId);
        assertThat(sendTest("organizationMembership.updated", "--org-id", orgId, "--user-id", userId).out())
                .as("no member of a deleted organization").contains("\"status\":\"stale\"");
    }

    @Test
    void an_organization_updated_without_user_id_keeps_the_organization_s_creator() throws SQLException {
        String orgId = printed(ORG_ID, sendTest("organization.created"));
        String creator = storedCreatedBy(orgId);

        Run updated = sendTest("organization.updated", "--org-id", orgId);

        assertThat(updated.out()).contains("\"status\":\"applied\"");
        assertThat(creator).startsWith("user_");
        assertThat(storedCreatedBy(orgId)).isEqualTo(creator);
    }

    @Test
    void a_file_of_one_s_own_is_signed_as_it_is_and_sent_to_server_port() throws IOException {
        Path file = Files.writeString(tempDir.resolve("my-event.json"), """
                {
                  "type": "session.created",
                  "data": { "id": "sess_from_file", "note": "Zoë & = +1 %20" }
                }
                """);
        Map<String, String> environment = environment();
        environment.put("SERVER_PORT", service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));

        Run run = run(environment, "--file", file.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("POST http://localhost:" + environment.get("SERVER_PORT") + "/api/webhooks/clerk  "
                + file + "  svix-id=msg_").contains("-> 200 ").contains("\"status\":\"ignored\"");
    }

    @Test
    void a_file_the_endpoint_refuses_exits_1_with_the_answer() throws IOException {
        Path file = Files.writeString(tempDir.resolve("not-an-event.json"), "{\"hello\": \"world\"}");

        Run run = sendTest("--file", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("-> 400 ").contains("not a Clerk event");
    }

    @Test
    void a_file_that_cannot_be_read_or_is_not_utf8_is_a_usage_error() throws IOException {
        Path latin1 = Files.write(tempDir.resolve("latin1.json"), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'});

        assertThat(sendTest("--file", tempDir.resolve("missing.json").toString()).status()).isEqualTo(2);
        assertThat(sendTest("--file", latin1.toString()).status()).isEqualTo(2);
        assertThat(sendTest("user.created", "--file", latin1.toString()).status()).isEqualTo(2);
    }

    @Test
    void a_type_that_is_not_synced_is_answered_ignored() {
        Run run = sendTest("session.created");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("\"status\":\"ignored\"");
    }

    @Test
    void every_listed_type_is_an_event_the_service_accepts() {
        Run list = run(environment(), "--list");
        List<String> types = list.out().lines().toList();

        assertThat(list.status()).isZero();
        assertThat(types).contains("user.created", "user.updated", "user.deleted", "session.created", "session.ended",
                "subscription.created", "subscriptionItem.freeTrialEnding", "paymentAttempt.updated",
                "session.revoked", "email.created", "sms.created", "organization.created", "organization.updated",
                "organization.deleted", "organizationMembership.created", "organizationMembership.updated",
                "organizationMembership.deleted");
        List<String> refused = new ArrayList<>();
        for (String type : types) {
            Run run = sendTest(type);
            if (run.status() != 0 || !run.out().contains("\"type\":\"" + type + "\"")) {
                refused.add(run.out() + run.err());
            }
        }
        assertThat(refused).isEmpty();
    }

    @Test
    void every_bundled_example_is_listed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/send-test"))) {
            assertThat(files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length())))
                    .containsExactlyInAnyOrderElementsOf(ExampleEvents.types());
        }
    }

    @Test
    void a_user_example_names_one_fresh_user_its_primary_email_and_the_current_time() throws IOException {
        long before = System.currentTimeMillis();
        ExampleEvents.Event event = ExampleEvents.render("user.updated", null);
        JsonNode json = new ObjectMapper().readTree(event.json());
        JsonNode user = json.get("data");

        assertThat(event.userId()).matches("user_[0-9A-Za-z]{27}").isEqualTo(user.get("id").asText());
        assertThat(user.at("/email_addresses/0/id").asText()).startsWith("idn_")
                .isEqualTo(user.get("primary_email_address_id").asText());
        assertThat(user.get("updated_at").asLong()).isBetween(before, System.currentTimeMillis());
        assertThat(user.get("created_at").asLong()).isLessThan(user.get("updated_at").asLong());
        assertThat(json.get("timestamp").asLong()).isEqualTo(user.get("updated_at").asLong());
        assertThat(ExampleEvents.render("user.updated", null).userId()).isNotEqualTo(event.userId());
    }

    @Test
    void an_unknown_type_is_a_usage_error_that_points_to_the_list() {
        Run run = sendTest("user.renamed");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("user.renamed").contains("--list");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void without_a_secret_it_is_a_usage_error_naming_the_variable() {
        Run run = run(Map.of(), "user.created", "--url", endpoint());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("CLERK_WEBHOOK_SECRET");
    }

    @Test
    void the_secret_may_come_from_the_file_clerk_webhook_secret_file_names() throws IOException {
        Path secretFile = Files.writeString(tempDir.resolve("webhook-secret"), RunningService.SECRET + "\n");

        Run run = run(Map.of("CLERK_WEBHOOK_SECRET_FILE", secretFile.toString()), "user.created", "--url", endpoint());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("\"status\":\"applied\"");
    }

    @Test
    void of_several_secrets_it_signs_with_the_first() {
        Map<String, String> endpointsFirst = Map.of("CLERK_WEBHOOK_SECRET", RunningService.SECRET + ", " + WRONG_SECRET);
        Map<String, String> otherFirst = Map.of("CLERK_WEBHOOK_SECRET", WRONG_SECRET + " " + RunningService.SECRET);

        assertThat(run(endpointsFirst, "user.created", "--url", endpoint()).status()).isZero();
        assertThat(run(otherFirst, "user.created", "--url", endpoint()).status()).isEqualTo(1);
    }

    @Test
    void without_url_it_sends_to_localhost_on_server_port() {
        Map<String, String> environment = environment();
        environment.put("SERVER_PORT", service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));

        Run run = run(environment, "user.created");

        assertThat(run.status()).isZero();
        assertThat(run.out()).startsWith("POST http://localhost:" + environment.get("SERVER_PORT") + "/api/webhooks/clerk  ");
    }

    @Test
    void a_wrong_secret_exits_1_and_shows_the_401() {
        Run run = run(Map.of("CLERK_WEBHOOK_SECRET", WRONG_SECRET), "user.created", "--url", endpoint());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("-> 401 ").contains("invalid signature");
    }

    @Test
    void an_endpoint_that_cannot_be_reached_exits_1_and_says_so() throws IOException {
        String closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = "http://127.0.0.1:" + socket.getLocalPort() + "/api/webhooks/clerk";
        }

        Run run = run(environment(), "user.created", "--url", closedPort);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("no answer from " + closedPort + ": ").doesNotContain("Exception");
    }

    @Test
    void bad_arguments_are_usage_errors() {
        assertThat(run(environment(), "user.created", "--url").status()).isEqualTo(2);
        assertThat(run(environment(), "user.created", "--verbose").status()).isEqualTo(2);
        assertThat(run(environment(), "user.created", "user.updated").status()).isEqualTo(2);
        assertThat(run(environment()).status()).isEqualTo(2);
        assertThat(run(environment(), "user.created", "--url", "localhost:8080").status()).isEqualTo(2);
    }

    @Test
    void help_explains_the_command() {
        Run run = run(Map.of(), "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("send-test EVENT_TYPE", "--url", "--user-id", "--org-id", "--list", "--file",
                "CLERK_WEBHOOK_SECRET");
    }

    @Test
    void the_output_never_shows_a_secret_or_a_signature() {
        List<Run> runs = List.of(
                sendTest("user.created"),
                run(Map.of("CLERK_WEBHOOK_SECRET", WRONG_SECRET), "user.created", "--url", endpoint()),
                run(Map.of("CLERK_WEBHOOK_SECRET", "whsec_" + "!" + RunningService.SECRET.substring(6)), "user.created"));

        for (Run run : runs) {
            assertThat(run.out() + run.err())
                    .doesNotContain(RunningService.SECRET.substring("whsec_".length()))
                    .doesNotContain(WRONG_SECRET.substring("whsec_".length()))
                    .doesNotContain("v1,");
        }
    }

    private static String createdUserId(Run created) {
        assertThat(created.out()).contains("\"status\":\"applied\"");
        Matcher userId = USER_ID.matcher(created.out());
        assertThat(userId.find()).as("the user id is printed: %s", created.out()).isTrue();
        return userId.group(1);
    }

    private static String storedCreatedBy(String orgId) throws SQLException {
        DataSource store = service.context().getRegistry().lookupByNameAndType("clerkSyncDataSource", DataSource.class);
        try (Connection connection = store.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT created_by FROM organizations WHERE id = ?")) {
            select.setString(1, orgId);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("organization %s is stored", orgId).isTrue();
                return row.getString(1);
            }
        }
    }

    private static String printed(Pattern id, Run run) {
        Matcher matcher = id.matcher(run.out());
        assertThat(matcher.find()).as("%s is printed: %s", id, run.out()).isTrue();
        return matcher.group(1);
    }

    private static Run sendTest(String... args) {
        List<String> withUrl = new ArrayList<>(List.of(args));
        withUrl.addAll(List.of("--url", endpoint()));
        return run(environment(), withUrl.toArray(String[]::new));
    }

    private static Run run(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = CommandLines.execute(new SendTestCommand(environment, outStream, errStream), List.of(args), outStream, errStream);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> environment() {
        return new HashMap<>(Map.of("CLERK_WEBHOOK_SECRET", RunningService.SECRET));
    }

    private static String endpoint() {
        return service.baseUrl() + "/api/webhooks/clerk";
    }

    private record Run(int status, String out, String err) {
    }
}

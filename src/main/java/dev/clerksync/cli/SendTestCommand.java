package dev.clerksync.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookSigningException;
import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.verify.WebhookSecrets;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code send-test EVENT_TYPE}: what the "Send test" button of Clerk's dashboard does, from a
 * terminal. It signs a bundled example event with the endpoint's secret, as Svix does, posts it
 * to a local or remote endpoint, and prints the answer. {@code send-test --file FILE} does the same
 * with a file of one's own, sent byte for byte.
 */
@CommandLine.Command(name = "send-test", description = SendTestCommand.USAGE)
public final class SendTestCommand implements Callable<Integer> {

    /** Exit statuses: the endpoint answered 2xx (or --list, --help); it did not; the command line is wrong. */
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int USAGE_ERROR = 2;

    // Not private: the @Command annotation on the class reads it.
    static final String USAGE = """
            usage: java -jar clerk-sync.jar send-test EVENT_TYPE [--url URL] [--user-id USER_ID] [--org-id ORG_ID]
                   java -jar clerk-sync.jar send-test --file FILE [--url URL]
                   java -jar clerk-sync.jar send-test --list

            Signs an example Clerk event of EVENT_TYPE (fresh ids and times), or the file FILE exactly as
            it is, with CLERK_WEBHOOK_SECRET, or the secret in the file CLERK_WEBHOOK_SECRET_FILE names,
            as Svix does (a fresh svix-id, the current time), posts it to URL and prints the answer.

              --url URL         the webhook endpoint; default http://localhost:$SERVER_PORT/api/webhooks/clerk
                                (SERVER_PORT defaults to 8080)
              --user-id USER_ID the user the event is about, instead of a new one: to update or delete
                                the user an earlier send-test created
              --org-id ORG_ID   the organization the event is about, instead of a new one: to update or
                                delete it, or to add a member to it. With --user-id too, a membership
                                event names the one membership of that organization and user, so that
                                organizationMembership.deleted removes the member .created added
              --file FILE       send this file (UTF-8, e.g. a JSON event saved from Clerk's dashboard)
                                instead of an example
              --list            the event types there are examples of

            An organization's life, each step printing the ids it used:
              send-test organization.created
              send-test organizationMembership.created --org-id ORG_ID --user-id USER_ID
              send-test organizationMembership.deleted --org-id ORG_ID --user-id USER_ID
              send-test organization.deleted --org-id ORG_ID

            Exit status: 0 when the endpoint answered 2xx, 1 when it answered anything else or could
            not be reached, 2 for a usage error.
            """;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;
    @Parameters(paramLabel = "EVENT_TYPE", arity = "0..1")
    private String type;
    @Option(names = "--file", paramLabel = "FILE")
    private String file;
    @Option(names = "--url", paramLabel = "URL")
    private String url;
    @Option(names = "--user-id", paramLabel = "USER_ID")
    private String userId;
    @Option(names = "--org-id", paramLabel = "ORG_ID")
    private String orgId;
    @Option(names = "--list")
    private boolean list;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    public SendTestCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        checkCombination();
        if (list) {
            ExampleEvents.types().forEach(out::println);
            return OK;
        }
        try {
            if (file == null && !ExampleEvents.types().contains(type)) {
                throw new UsageException("unknown event type '" + type + "'; send-test --list lists the types");
            }
            String payload = file == null ? null : readPayload(file);
            String secret = signingSecret(environment);
            URI endpoint = endpoint(url != null ? url : defaultUrl(environment));
            if (payload != null) {
                return send(endpoint, file, payload, secret, out, err);
            }
            ExampleEvents.Event event = ExampleEvents.render(type, userId, orgId);
            String ids = (event.userId() == null ? "" : "  user_id=" + event.userId())
                    + (event.organizationId() == null ? "" : "  org_id=" + event.organizationId())
                    + (event.membershipId() == null ? "" : "  membership_id=" + event.membershipId());
            return send(endpoint, type, event.json(), secret, out, err, ids);
        } catch (UsageException e) {
            err.println("send-test: " + e.getMessage());
            return USAGE_ERROR;
        } catch (InvalidConfigurationException e) {
            // Its message names the variable and never contains the secret.
            err.println("send-test: " + e.getMessage());
            return USAGE_ERROR;
        }
    }

    /** The options that do not go together, or nothing asked for: the command line is wrong. */
    private void checkCombination() {
        if (type != null && file != null) {
            throw new ParameterException(spec.commandLine(), "an event type or --file, not both");
        }
        if (file != null && (userId != null || orgId != null)) {
            throw new ParameterException(spec.commandLine(), "--user-id and --org-id choose the ids of an example, not of --file");
        }
        if (type == null && file == null && !list) {
            throw new ParameterException(spec.commandLine(), "which event type? e.g. send-test user.created, or send-test --file FILE; "
                    + "send-test --list lists the types");
        }
    }

    /**
     * Posts the payload, signed, and prints what was sent ({@code what}: the event type or file,
     * then {@code ids}) and the answer, with its Retry-After when it has one (429, 503).
     */
    private static int send(URI url, String what, String payload, String secret, PrintStream out, PrintStream err,
                            String... ids) {
        String svixId = ExampleEvents.newId("msg_");
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("svix-id", svixId)
                .header("svix-timestamp", Long.toString(timestamp))
                .header("svix-signature", sign(secret, svixId, timestamp, payload))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                .build();
        out.println("POST " + url + "  " + what + "  svix-id=" + svixId + String.join("", ids));
        try {
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            String retryAfter = response.headers().firstValue("Retry-After").map(value -> " retry-after=" + value).orElse("");
            out.println(("-> " + response.statusCode() + retryAfter + " " + response.body()).strip());
            return response.statusCode() / 100 == 2 ? OK : FAILED;
        } catch (IOException e) {
            err.println("send-test: no answer from " + url + ": " + reason(e));
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("send-test: interrupted before " + url + " answered");
            return FAILED;
        }
    }

    /**
     * The file as the text the signature covers. Not UTF-8: refused, as the service would refuse
     * it (it verifies the bytes decoded as UTF-8); decoding strictly means the bytes sent are the file's.
     */
    private static String readPayload(String file) throws UsageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + reason(e));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UsageException(file + " is not UTF-8 text");
        }
    }

    private static String signingSecret(Map<String, String> environment) throws UsageException {
        String file = environment.get("CLERK_WEBHOOK_SECRET_FILE");
        if (file == null || file.isBlank()) {
            return firstSecret(environment.get("CLERK_WEBHOOK_SECRET"));
        }
        String value;
        try {
            value = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("CLERK_WEBHOOK_SECRET_FILE cannot be read: " + reason(e));
        }
        try {
            return firstSecret(value);
        } catch (InvalidConfigurationException e) {
            throw new UsageException(e.getMessage() + " (read from CLERK_WEBHOOK_SECRET_FILE)");
        }
    }

    private static String firstSecret(String secrets) {
        WebhookSecrets.parse(secrets);
        // The endpoint accepts a signature made with any of its secrets: one is enough.
        return secrets.strip().split("[\\s,]+")[0];
    }

    private static String sign(String secret, String svixId, long timestamp, String payload) {
        try {
            return new Webhook(secret).sign(svixId, timestamp, payload);
        } catch (EmptyWebhookSecretException | WebhookSigningException e) {
            throw new IllegalStateException("a secret that WebhookSecrets accepted cannot sign", e);
        }
    }

    private static String defaultUrl(Map<String, String> environment) {
        String port = environment.getOrDefault("SERVER_PORT", "");
        return "http://localhost:" + (port.isBlank() ? "8080" : port.strip()) + "/api/webhooks/clerk";
    }

    private static URI endpoint(String url) throws UsageException {
        try {
            URI uri = new URI(url);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below, like any other URL that is not http(s)
        }
        throw new UsageException("the URL must be http:// or https:// with a host: " + url);
    }

    // The JDK's failures often carry their reason in a cause; HttpClient's refused connection carries none.
    private static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return failure instanceof ConnectException ? "cannot connect" : failure.getClass().getSimpleName();
    }

    /** Built on the first send, not when the command line is read: the service's process never sends. */
    private static final class Http {

        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    private static final class UsageException extends Exception {

        UsageException(String message) {
            super(message);
        }
    }
}

package dev.clerksync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Start-up as a user sees it: from the moment the service process is started until a signed
 * delivery is answered 200. The probe starts and warms up first, so that its own JVM start is not
 * counted: it writes the ready file, run.sh then writes the service's start time (epoch ms) to the
 * started-at file and starts the service, and the probe sends {@code session.created} deliveries
 * until one is accepted.
 */
final class StartupProbe {

    private static final long RETRY_PAUSE_MS = 10;
    private static final long FILE_POLL_MS = 5;
    // A request caught by the service's start must not hold up the next attempt for long.
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private StartupProbe() {
    }

    static int run(Args args) throws Exception {
        Path readyFile = Path.of(args.required("ready-file"));
        Path startedAtFile = Path.of(args.required("started-at-file"));
        long timeoutMs = args.longValue("timeout-seconds", 60) * 1000;
        DeliverySigner signer = new DeliverySigner(args.required("secret"));
        WebhookSender sender = new WebhookSender(args.required("url"), ATTEMPT_TIMEOUT);
        ClerkIds ids = new ClerkIds("probe", new SplittableRandom());

        // A first attempt while nothing listens loads and compiles what every later attempt uses.
        attempt(sender, signer, ids);
        Files.writeString(readyFile, "ready\n");
        long startedAt = awaitStartTime(startedAtFile, System.currentTimeMillis() + timeoutMs);
        WebhookSender.Answer last = null;
        int attempts = 0;
        while (System.currentTimeMillis() - startedAt < timeoutMs) {
            last = attempt(sender, signer, ids);
            attempts++;
            if (last.status() == 200) {
                System.out.println("startup_ms=" + (System.currentTimeMillis() - startedAt));
                return 0;
            }
            Thread.sleep(RETRY_PAUSE_MS);
        }
        System.err.printf("startup-probe: no delivery accepted within %d ms; %d attempts, the last answered %s%n",
                timeoutMs, attempts, last);
        return 4;
    }

    private static WebhookSender.Answer attempt(WebhookSender sender, DeliverySigner signer, ClerkIds ids) {
        long now = System.currentTimeMillis();
        Delivery delivery = new Delivery(0, ids.next("msg"), "session.created",
                ClerkEvents.sessionCreated(ids.next("sess"), ids.next("client"), ids.next("user"), now), null, null);
        long timestamp = now / 1000;
        return sender.send(delivery, timestamp, signer.sign(delivery, timestamp));
    }

    private static long awaitStartTime(Path file, long deadline) throws Exception {
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file)) {
                String content = Files.readString(file).trim();
                if (!content.isEmpty()) {
                    return Long.parseLong(content);
                }
            }
            Thread.sleep(FILE_POLL_MS);
        }
        throw new IllegalStateException("the service was not started: " + file + " never appeared");
    }
}

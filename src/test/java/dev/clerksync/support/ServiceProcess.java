package dev.clerksync.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/clerk-sync.jar}) in a process of its own, as it runs in
 * production, so that it can be killed with SIGKILL or stopped with SIGTERM. It keeps its ports
 * across restarts, so a sender does not notice the restart but for the refused connections.
 */
public final class ServiceProcess {

    private final Map<String, String> environment;
    private final int port;
    private final int managementPort;
    private final Path log;
    private Path workingDir = Path.of("");
    private Process process;

    public ServiceProcess(Map<String, String> environment, Path log) {
        this.port = FreePorts.next();
        this.managementPort = FreePorts.next();
        this.log = log;
        this.environment = new HashMap<>(environment);
        this.environment.put("SERVER_PORT", Integer.toString(port));
        this.environment.put("MANAGEMENT_PORT", Integer.toString(managementPort));
    }

    /** Runs the jar from this directory instead of the repository root. */
    public ServiceProcess in(Path directory) {
        this.workingDir = directory;
        return this;
    }

    /** Starts the jar and waits until it takes requests. */
    public ServiceProcess start() {
        launch();
        WebhookClient management = new WebhookClient(managementUrl(), RunningService.SECRET);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the service exited with " + process.exitValue() + ": see " + log);
                    }
                    return management.request("GET", "/observe/health/live", Map.of(), new byte[0]).status() == 200;
                });
        return this;
    }

    /** Starts the jar without waiting for anything. */
    public Process launch() {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "clerk-sync.jar").toAbsolutePath().toString())
                .directory(workingDir.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return process;
    }

    /** SIGKILL: no shutdown at all, as in a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit status once the process has ended (within {@code limit}). */
    public int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the service did not stop within " + limit + " of SIGTERM");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }
}

package dev.clerksync.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts the machine's PostgreSQL cluster (pg_ctlcluster), for outage tests. */
public final class PostgresServer {

    private PostgresServer() {
    }

    /** Whether this process may stop and start the cluster: pg_ctlcluster is there and we are root. */
    public static boolean controllable() {
        return new File("/usr/bin/pg_ctlcluster").canExecute() && "root".equals(System.getProperty("user.name"));
    }

    public static void stop() throws IOException, InterruptedException {
        run("stop", "-m", "fast");
    }

    /** Starts the cluster (a no-op when it runs) and waits until it accepts connections. */
    public static void start() throws IOException, InterruptedException {
        run("start");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> exec(List.of("pg_isready", "-q", "-h", "127.0.0.1")) == 0);
    }

    private static void run(String... action) throws IOException, InterruptedException {
        String[] versions = new File("/etc/postgresql").list();
        Arrays.sort(versions);
        String version = versions[versions.length - 1];
        List<String> command = new java.util.ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main"));
        command.addAll(List.of(action));
        int status = exec(command);
        // "start" of a running cluster exits 2: that is fine
        if (status != 0 && !(action[0].equals("start") && status == 2)) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status);
        }
    }

    private static int exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}

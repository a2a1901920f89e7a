package dev.clerksync.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stops and starts the RabbitMQ application of this machine's broker (rabbitmqctl), for outage tests. */
public final class RabbitBroker {

    private RabbitBroker() {
    }

    public static void stopApp() {
        run("stop_app");
    }

    public static void startApp() {
        run("start_app");
        run("await_startup");
    }

    private static void run(String command) {
        try {
            Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + command + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("rabbitmqctl " + command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running rabbitmqctl " + command, e);
        }
    }
}

package dev.clerksync.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values the service's Prometheus endpoint ({@code /observe/metrics} on the management port) shows. */
public final class Metrics {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Metrics() {
    }

    /** The value of the series {@code name} whose labels include {@code label="value"}; 0 when absent. */
    public static double value(RunningService service, String name, String label, String value) {
        String text;
        try {
            text = HTTP.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("metrics unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value + "\"")
                + "[^}]*} (\\S+)$").matcher(text);
        return series.find() ? Double.parseDouble(series.group(1)) : 0;
    }
}

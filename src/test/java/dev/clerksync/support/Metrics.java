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
        String text = scrape(service);
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value + "\"")
                + "[^}]*} (\\S+)$").matcher(text);
        return series.find() ? Double.parseDouble(series.group(1)) : 0;
    }

    /**
     * The value of the series written exactly so, labels in the endpoint's (alphabetical) order: {@code
     * name} or {@code name{a="1",b="2"}}; null when the endpoint shows no such series.
     */
    public static Double series(RunningService service, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape(service));
        return line.find() ? Double.valueOf(line.group(1)) : null;
    }

    private static String scrape(RunningService service) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("metrics unreachable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

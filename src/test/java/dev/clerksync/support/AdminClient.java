package dev.clerksync.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import dev.clerksync.support.WebhookClient.Response;

/** GETs under /admin on one port, with the admin token as Bearer, as Basic, or with no credential. */
public final class AdminClient {

    private final WebhookClient http;
    private final String token;

    public AdminClient(String baseUrl, String token) {
        this.http = new WebhookClient(baseUrl, RunningService.SECRET);
        this.token = token;
    }

    public Response get(String path) {
        return getWith(path, Map.of("Authorization", "Bearer " + token));
    }

    public Response getBasic(String path, String user, String password) {
        String pair = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return getWith(path, Map.of("Authorization", "Basic " + pair));
    }

    public Response getWith(String path, Map<String, String> headers) {
        return http.request("GET", path, headers, new byte[0]);
    }

    public Response request(String method, String path) {
        return http.request(method, path, Map.of("Authorization", "Bearer " + token), new byte[0]);
    }
}

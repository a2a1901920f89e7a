package dev.clerksync.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Clerk's Backend API as the backfill benchmark needs it: {@code GET /v1/users/count} and {@code
 * GET /v1/users?limit&offset} over N users made on the fly (the same user for the same offset, in
 * creation order, with Clerk's fields), and no organizations. Nothing is stored, so a million users
 * cost no memory here; the tests' own fake (src/test) is the one that checks the client's manners.
 */
final class FakeClerkUsers {

    private static final long FIRST_CREATED_AT = 1_700_000_000_000L;
    private static final int MAX_LIMIT = 500;

    private FakeClerkUsers() {
    }

    static int run(Args args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args.positional(0, "PORT"));
        int users = args.intValue("users", 100_000);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> answer(exchange, users));
        server.start();
        System.out.println("fake-clerk listening on 127.0.0.1:" + port + " with " + users + " users");
        new CountDownLatch(1).await();
        return 0;
    }

    private static void answer(HttpExchange exchange, int users) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI());
        if (!exchange.getRequestHeaders().getFirst("Authorization").startsWith("Bearer sk_")) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"authentication_invalid\"}]}");
        } else if (path.equals("/v1/users/count")) {
            send(exchange, 200, "{\"object\":\"total_count\",\"total_count\":" + users + "}");
        } else if (path.equals("/v1/users")) {
            int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
            int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
            StringBuilder page = new StringBuilder("[");
            for (int i = offset; i < Math.min(users, offset + (limit > MAX_LIMIT ? 10 : limit)); i++) {
                page.append(i > offset ? "," : "").append(user(i));
            }
            send(exchange, 200, page.append(']').toString());
        } else if (path.equals("/v1/organizations")) {
            send(exchange, 200, "{\"data\":[],\"total_count\":0}");
        } else {
            send(exchange, 404, "{\"errors\":[{\"code\":\"resource_not_found\"}]}");
        }
    }

    /** User number i, shaped as Clerk's Backend API lists users. */
    static String user(int i) {
        String id = String.format("user_bench%07d", i);
        long at = FIRST_CREATED_AT + i;
        return """
                {"object":"user","id":"%1$s","username":"bench%2$d","first_name":"First%2$d","last_name":"Last%2$d",\
                "image_url":"https://img.clerk.com/%1$s","has_image":false,"primary_email_address_id":"idn_%2$d",\
                "primary_phone_number_id":null,"primary_web3_wallet_id":null,"password_enabled":true,\
                "two_factor_enabled":false,"totp_enabled":false,"backup_code_enabled":false,\
                "email_addresses":[{"id":"idn_%2$d","object":"email_address","email_address":"bench%2$d@example.com",\
                "reserved":false,"verification":{"status":"verified","strategy":"email_code","attempts":1,\
                "expire_at":%3$d},"linked_to":[],"created_at":%3$d,"updated_at":%3$d}],"phone_numbers":[],\
                "web3_wallets":[],"passkeys":[],"external_accounts":[],"saml_accounts":[],\
                "public_metadata":{"plan":"free"},"private_metadata":{},"unsafe_metadata":{},\
                "external_id":null,"last_sign_in_at":%3$d,"banned":false,"locked":false,\
                "lockout_expires_in_seconds":null,"verification_attempts_remaining":100,\
                "created_at":%3$d,"updated_at":%3$d,"delete_self_enabled":true,\
                "create_organization_enabled":true,"last_active_at":%3$d,"legal_accepted_at":null}"""
                .formatted(id, i, at);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

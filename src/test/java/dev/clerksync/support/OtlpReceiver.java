package dev.clerksync.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An OTLP/HTTP trace receiver on a free port of this machine, as a collector would be: it accepts
 * {@code POST /v1/traces} with an {@code application/x-protobuf} body, decodes it with the
 * opentelemetry-proto classes and keeps it. Registered as an extension before the service's
 * {@link SyncStack}, it closes after the service, which sends its last spans as it stops.
 */
public final class OtlpReceiver implements AfterAllCallback {

    private final HttpServer server;
    private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OTLP receiver", e);
        }
        server.createContext("/v1/traces", this::receive);
        server.start();
    }

    /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ExportTraceServiceRequest> received() {
        return List.copyOf(received);
    }

    /** Requests it could not take (method, content type), as "METHOD content-type". */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!"POST".equals(exchange.getRequestMethod()) || !"application/x-protobuf".equals(contentType)) {
                refused.add(exchange.getRequestMethod() + " " + contentType);
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            try (InputStream body = exchange.getRequestBody()) {
                received.add(ExportTraceServiceRequest.parseFrom(body));
            }
            // An empty ExportTraceServiceResponse: everything accepted.
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop(0);
    }
}

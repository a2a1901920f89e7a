package dev.clerksync.http;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes a JSON response, after dropping every request header so that none is echoed back. */
final class JsonResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {
    }

    static void respond(Exchange exchange, int status, Map<String, ?> body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json(body));
    }

    /** {@code {"error": text}}, for answers written outside a route. */
    static String errorBody(String text) {
        return json(Map.of("error", text));
    }

    private static String json(Map<String, ?> body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response map could not be written as JSON", e);
        }
    }

    /** Text from a request made safe for a single log line. */
    static String loggable(String text) {
        return text == null ? "-" : text.replaceAll("[\\p{Cntrl}\\s]", "?");
    }
}

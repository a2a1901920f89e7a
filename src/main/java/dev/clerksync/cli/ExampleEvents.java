package dev.clerksync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The example Clerk events bundled under {@code send-test/}, one {@code <type>.json} per type.
 * Their placeholders get fresh values each time, so that every test event is about a new user,
 * session or organization, as in Clerk's dashboard:
 * <ul>
 * <li>{@code {{now_ms}}}, {@code {{now_ms-1d}}}, {@code {{now_ms+7d}}}: the current time, or so
 * many days from it, in epoch milliseconds (a JSON number);</li>
 * <li>{@code {{user_id}}}, {@code {{email_id}}}, …: a new Clerk-style id, the same one wherever
 * the placeholder appears in the event; {@code {{user_id}}} and {@code {{org_id}}} may be given
 * instead, and with both given {@code {{membership_id}}} is derived from them;</li>
 * <li>{@code {{creator_id}}}: the organization's {@code created_by}, derived from {@code {{org_id}}}:
 * the same user in every example about that organization, so that an {@code organization.updated}
 * never changes who created it.</li>
 * </ul>
 */
final class ExampleEvents {

    /**
     * A rendered event; {@code userId}, {@code organizationId} and {@code membershipId} are the user,
     * organization and membership it names, or null when it names none.
     */
    record Event(String json, String userId, String organizationId, String membershipId) {
    }

    private static final String DIRECTORY = "/send-test/";
    private static final Pattern TIME = Pattern.compile("\\{\\{now_ms(?:([+-]\\d+)d)?}}");
    private static final Pattern ID = Pattern.compile("\\{\\{(\\w+)}}");
    private static final String USER_ID = "user_id";
    private static final String ORG_ID = "org_id";
    private static final String MEMBERSHIP_ID = "membership_id";
    private static final String CREATOR_ID = "creator_id";
    private static final Map<String, String> ID_PREFIXES = Map.ofEntries(
            Map.entry(USER_ID, "user_"),
            Map.entry("email_id", "idn_"),
            Map.entry("phone_id", "idn_"),
            Map.entry("session_id", "sess_"),
            Map.entry("client_id", "client_"),
            Map.entry("activity_id", "activity_"),
            Map.entry(ORG_ID, "org_"),
            Map.entry(CREATOR_ID, "user_"),
            Map.entry(MEMBERSHIP_ID, "orgmem_"),
            Map.entry("email_message_id", "ema_"),
            Map.entry("sms_message_id", "sms_"),
            Map.entry("subscription_id", "csub_"),
            Map.entry("subscription_item_id", "csub_item_"),
            Map.entry("payer_id", "cpayer_"),
            Map.entry("payment_id", "cpa_"),
            Map.entry("payment_attempt_id", "pa_"));
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ExampleEvents() {
    }

    /** The bundled types, from {@code types.txt}: a directory inside a jar cannot be listed. */
    static List<String> types() {
        return read("types.txt").lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The example of this type with fresh ids and times, as compact JSON like Clerk sends it. */
    static Event render(String type, String userId) {
        return render(type, userId, null);
    }

    /**
     * The example of this type with fresh ids and times, as compact JSON like Clerk sends it.
     *
     * @param userId         the user id to use instead of a new one, or null
     * @param organizationId the organization id to use instead of a new one, or null
     */
    static Event render(String type, String userId, String organizationId) {
        String template = read(type + ".json");
        long now = System.currentTimeMillis();
        String timed = TIME.matcher(template).replaceAll(time -> Long.toString(now + days(time.group(1))));
        Map<String, String> ids = new HashMap<>();
        if (userId != null) {
            ids.put(USER_ID, userId);
        }
        ids.put(ORG_ID, organizationId != null ? organizationId : newId(prefix(ORG_ID, type)));
        ids.put(CREATOR_ID, derivedId(prefix(CREATOR_ID, type), "created_by/" + ids.get(ORG_ID)));
        if (userId != null && organizationId != null) {
            // One membership per organization and user, as in Clerk: its .deleted then names the
            // membership that its .created made.
            ids.put(MEMBERSHIP_ID, derivedId(prefix(MEMBERSHIP_ID, type), organizationId + "/" + userId));
        }
        String json = ID.matcher(timed).replaceAll(placeholder -> Matcher.quoteReplacement(jsonEscaped(
                ids.computeIfAbsent(placeholder.group(1), name -> newId(prefix(name, type))))));
        Set<String> named = new HashSet<>();
        ID.matcher(timed).results().forEach(placeholder -> named.add(placeholder.group(1)));
        return new Event(compact(json, type), named.contains(USER_ID) ? ids.get(USER_ID) : null,
                named.contains(ORG_ID) ? ids.get(ORG_ID) : null,
                named.contains(MEMBERSHIP_ID) ? ids.get(MEMBERSHIP_ID) : null);
    }

    /** A Clerk-style id that is always the same for the same seed: the prefix and 27 base62 characters. */
    static String derivedId(String prefix, String seed) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 27; i++) {
            id.append(BASE62.charAt((digest[i] & 0xff) % BASE62.length()));
        }
        return id.toString();
    }

    /** A Clerk- and Svix-style id: the prefix and 27 base62 characters. */
    static String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 27; i++) {
            id.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return id.toString();
    }

    private static long days(String offset) {
        return offset == null ? 0 : Duration.ofDays(Long.parseLong(offset)).toMillis();
    }

    private static String prefix(String placeholder, String type) {
        String prefix = ID_PREFIXES.get(placeholder);
        if (prefix == null) {
            throw new IllegalStateException(DIRECTORY + type + ".json has an unknown placeholder {{" + placeholder + "}}");
        }
        return prefix;
    }

    private static String jsonEscaped(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }

    // Parsing also proves the rendered example is JSON before anything is signed.
    private static String compact(String json, String type) {
        try {
            return MAPPER.readTree(json).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(DIRECTORY + type + ".json is not JSON once rendered", e);
        }
    }

    private static String read(String name) {
        try (InputStream in = ExampleEvents.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException(DIRECTORY + name + " is not bundled");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

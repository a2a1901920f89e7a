package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.clerksync.support.FakeClerkApi;
import dev.clerksync.support.RabbitChangeEventsQueue;
import dev.clerksync.support.RunningService;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML in routes/ is edited by people who do not run Java: a typo must fail the build, not
 * production. Every route file loads, every route has the id its file gives it, and an unknown
 * option or endpoint stops start-up.
 */
class RoutesValidationTest {

    static final Pattern ROUTE_ID = Pattern.compile("(?m)^- route:\\s*\\n\\s+id:\\s*(\\S+)");

    @TempDir
    Path dataDir;

    @Test
    void every_route_of_every_file_starts_under_its_own_id() throws IOException {
        List<String> declared = declaredRouteIds(Path.of("routes"));

        // With a broker set, so that the change-event routes start too (they are left out without one),
        // and a reconcile interval, for the scheduled reconcile's (its pass reads an empty Clerk).
        Map<String, String> settings = new HashMap<>(embeddedStores());
        settings.put("clerk.change-events.rabbitmq-uri", RabbitChangeEventsQueue.URI);
        settings.put("clerk.change-events.exchange", RabbitChangeEventsQueue.newExchangeName());
        try (FakeClerkApi clerk = FakeClerkApi.start()) {
            settings.put("clerk.reconcile.every", "24h");
            settings.put("clerk.api.secret-key", FakeClerkApi.KEY);
            settings.put("clerk.api.url", clerk.baseUrl().toString());
            assertEveryDeclaredRouteStarts(declared, settings);
        }
    }

    private static void assertEveryDeclaredRouteStarts(List<String> declared, Map<String, String> settings) {
        try (RunningService service = RunningService.start(settings)) {
            List<String> started = service.context().getRoutes().stream().map(Route::getRouteId).toList();
            // The embedded database cascades in the deciding transaction: no chunks to continue
            // (DeferredCascadeTest sees that route start on PostgreSQL).
            assertThat(started).containsExactlyInAnyOrderElementsOf(
                    declared.stream().filter(id -> !id.equals("deferred-cascades")).toList());
            assertThat(started).noneMatch(id -> id.matches("route\\d+"));
            assertThat(service.context().hasService(RouteWatcherReloadStrategy.class)).as("no reload outside dev mode").isNull();
        }
    }

    @Test
    void every_route_in_the_files_declares_an_id() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                String yaml = Files.readString(file);
                long routes = Pattern.compile("(?m)^- route:").matcher(yaml).results().count();
                assertThat(ROUTE_ID.matcher(yaml).results().count()).as(file + ": a route without an id").isEqualTo(routes);
            }
        }
    }

    @Test
    void an_unknown_endpoint_option_stops_start_up(@TempDir Path copy) throws IOException {
        copyProject(copy);
        replaceIn(copy.resolve("routes/webhook.camel.yaml"), "httpMethodRestrict: POST", "httpMethodRestrikt: POST");

        assertThatThrownBy(() -> startFrom(copy)).hasStackTraceContaining("httpMethodRestrikt");
    }

    @Test
    void an_unknown_endpoint_stops_start_up(@TempDir Path copy) throws IOException {
        copyProject(copy);
        replaceIn(copy.resolve("routes/user-events.camel.yaml"), "- to: direct:deliver", "- to: direkt:deliver");

        assertThatThrownBy(() -> startFrom(copy)).hasStackTraceContaining("direkt");
    }

    @Test
    void dev_mode_watches_the_route_files() throws IOException {
        Path copy = dataDir.resolve("project");
        copyProject(copy);
        Map<String, String> settings = new HashMap<>(embeddedStores());
        settings.put("clerk.dev", "true");
        Main main = ClerkSyncApplication.createMain(copy, settings);
        try {
            main.start();
            assertThat(main.getCamelContext().hasService(RouteWatcherReloadStrategy.class)).isNotNull();
        } finally {
            main.stop();
        }
    }

    private void startFrom(Path project) {
        Main main = ClerkSyncApplication.createMain(project, embeddedStores());
        try {
            main.start();
        } finally {
            main.stop();
        }
    }

    private Map<String, String> embeddedStores() {
        return Map.of("clerk.webhook.secret", RunningService.SECRET, "clerk.sync.stores", "postgres,mongodb",
                "clerk.database.url", "", "clerk.mongodb.uri", "", "clerk.data.dir", dataDir.toString(),
                "camel.server.port", "0", "camel.management.port", "0");
    }

    private static List<String> declaredRouteIds(Path routes) throws IOException {
        try (Stream<Path> files = Files.list(routes)) {
            return files.flatMap(file -> {
                try {
                    Matcher matcher = ROUTE_ID.matcher(Files.readString(file));
                    return matcher.results().map(result -> result.group(1)).toList().stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private static void copyProject(Path target) throws IOException {
        Files.createDirectories(target.resolve("routes"));
        Files.copy(Path.of("application.properties"), target.resolve("application.properties"));
        Files.copy(Path.of("application-dev.properties"), target.resolve("application-dev.properties"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve("routes").resolve(file.getFileName()));
            }
        }
    }

    private static void replaceIn(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}

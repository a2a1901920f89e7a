package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.FreePorts;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * target/clerk-sync-image.tar, the OCI image archive that `mvn verify` builds before the integration
 * tests (and `mvn -Pcontainer package` at package), read as a container runtime reads it: its
 * configuration, its layers unpacked into a root file system, and that file system started with
 * the image's entrypoint, environment and user, read-only with a fresh /tmp as deploy/kubernetes
 * runs it (scripts/in-image-root.sh: a chroot in a mount namespace of its own, no container runtime).
 */
class ContainerImageIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path IMAGE = Path.of("target", "clerk-sync-image.tar");

    @TempDir
    Path dir;

    @Test
    void the_image_runs_the_service_as_an_unprivileged_user_with_its_runtime_and_its_archive() throws Exception {
        assertThat(IMAGE).as("built by `mvn verify` (pre-integration-test) or `mvn -Pcontainer package`").isRegularFile();
        Path archive = Files.createDirectories(dir.resolve("archive"));
        run("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", archive.toString());

        JsonNode index = JSON.readTree(archive.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        String name = index.path("manifests").get(0).path("annotations").path("org.opencontainers.image.ref.name").asText();
        JsonNode manifest = blob(archive, index.path("manifests").get(0));
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        JsonNode image = blob(archive, manifest.path("config"));
        JsonNode config = image.path("config");
        assertThat(image.path("os").asText()).isEqualTo("linux");
        assertThat(image.path("architecture").asText()).isEqualTo("amd64");

        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint).containsExactly("/opt/java/bin/java", "-XX:SharedArchiveFile=/opt/clerk-sync/clerk-sync.jsa",
                "-jar", "/opt/clerk-sync/clerk-sync.jar");
        assertThat(config.path("Cmd").isMissingNode() || config.path("Cmd").isNull()).as("no arguments unless given").isTrue();
        String user = config.path("User").asText();
        assertThat(user).as("numeric, so that Kubernetes can check runAsNonRoot").matches("[0-9]+:[0-9]+");
        assertThat(user.split(":")[0]).isNotEqualTo("0");
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "9876/tcp");
        Map<String, String> environment = new HashMap<>();
        for (String variable : strings(config.path("Env"))) {
            environment.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        assertThat(environment.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");

        // The layers, as a runtime stacks them (they overlap nowhere, so no whiteouts to apply).
        Path root = Files.createDirectories(dir.resolve("root"));
        for (JsonNode layer : manifest.path("layers")) {
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            run("tar", "--warning=no-unknown-keyword", "-xzf", blobPath(archive, layer).toString(), "-C", root.toString());
        }
        assertThat(root.resolve("opt/java/bin/java")).isExecutable();
        assertThat(root.resolve("opt/java/lib/server/libjvm.so")).isRegularFile();
        assertThat(Files.mismatch(root.resolve("opt/clerk-sync/clerk-sync.jar"), Path.of("target", "clerk-sync.jar")))
                .as("the jar in the image is the jar the build made").isEqualTo(-1L);
        assertThat(root.resolve("opt/clerk-sync/clerk-sync.jsa")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(root.resolve("tmp")))
                .as("a /tmp the user can write when nothing is mounted there")
                .contains(PosixFilePermission.OTHERS_WRITE);
        assertThat(root.resolve("tmp")).isEmptyDirectory();

        theDeploymentRunsThisImage(name, user, ports);
        theImageStartsAndServes(root, entrypoint, environment, user);
    }

    /** deploy/kubernetes/deployment.yaml names this image, runs it as its user and declares its ports. */
    private static void theDeploymentRunsThisImage(String name, String user, List<String> ports) throws IOException {
        Map<?, ?> deployment = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("deploy", "kubernetes", "deployment.yaml")));
        Map<?, ?> pod = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) deployment.get("spec")).get("template")).get("spec");
        Map<?, ?> security = (Map<?, ?>) pod.get("securityContext");
        assertThat(security.get("runAsUser") + ":" + security.get("runAsGroup")).isEqualTo(user);
        Map<?, ?> container = (Map<?, ?>) ((List<?>) pod.get("containers")).get(0);
        assertThat(container.get("image")).isEqualTo(name);
        List<String> declared = new ArrayList<>();
        for (Object port : (List<?>) container.get("ports")) {
            declared.add(((Map<?, ?>) port).get("containerPort") + "/tcp");
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(ports);
    }

    /**
     * The entrypoint as the image gives it, with the image's environment only, as its user, on a
     * read-only root with an empty /tmp; the embedded stores in /tmp. -Xshare:on makes the JVM refuse
     * to start when it cannot use the class-data-sharing archive, which it would otherwise ignore.
     */
    private void theImageStartsAndServes(Path root, List<String> entrypoint, Map<String, String> imageEnvironment, String user)
            throws Exception {
        int port = FreePorts.next();
        int managementPort = FreePorts.next();
        List<String> command = new ArrayList<>(List.of("/bin/bash", "scripts/in-image-root.sh", "--read-only", "--user", user,
                root.toString()));
        command.addAll(entrypoint);
        Path log = dir.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(imageEnvironment);
        builder.environment().put("JAVA_TOOL_OPTIONS", imageEnvironment.get("JAVA_TOOL_OPTIONS") + " -Xshare:on");
        builder.environment().put("CLERK_WEBHOOK_SECRET", RunningService.SECRET);
        builder.environment().put("CLERK_SYNC_DATA_DIR", "/tmp/clerk-sync-data");
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("MANAGEMENT_PORT", Integer.toString(managementPort));

        long launched = System.nanoTime();
        Process service = builder.start();
        try {
            WebhookClient management = new WebhookClient("http://127.0.0.1:" + managementPort, RunningService.SECRET);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
                if (!service.isAlive()) {
                    throw new IllegalStateException("the image's service exited with " + service.exitValue() + ": " + Files.readString(log));
                }
                return management.request("GET", "/observe/health/ready", Map.of(), new byte[0]).status() == 200;
            });
            System.out.printf("container image: start-up to ready: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched));

            WebhookClient client = new WebhookClient("http://127.0.0.1:" + port, RunningService.SECRET);
            String created = ClerkEvents.user("user.created", "user_image", 1_730_000_000_000L).json();
            assertThat(client.send(created).field("status")).isEqualTo("applied");

            // SIGTERM, as Kubernetes stops a pod: the service drains and exits 0.
            service.destroy();
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(service.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            service.descendants().forEach(ProcessHandle::destroyForcibly);
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(log)).doesNotContain("Sharing is only supported").doesNotContain("[warning][cds]");
        assertThat(root.resolve("tmp")).as("the service wrote to the mounted /tmp only").isEmptyDirectory();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static JsonNode blob(Path archive, JsonNode descriptor) throws IOException {
        return JSON.readTree(blobPath(archive, descriptor).toFile());
    }

    private static Path blobPath(Path archive, JsonNode descriptor) {
        String[] digest = descriptor.path("digest").asText().split(":");
        return archive.resolve("blobs").resolve(digest[0]).resolve(digest[1]);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}

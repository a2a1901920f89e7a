package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/kubernetes, read as Kubernetes would and checked against what the service really does:
 * the ports and the probe paths of application.properties, a grace period longer than the drain,
 * and the hardening a platform team expects.
 */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("deploy", "kubernetes");
    static final Pattern DEFAULT = Pattern.compile("\\{\\{env:([A-Z_]+):([^}]*)}}");

    @Test
    void the_kustomization_lists_every_manifest_and_each_parses() throws IOException {
        Map<String, Object> kustomization = single("kustomization.yaml");
        List<String> resources = list(kustomization.get("resources"));
        assertThat(resources).containsExactlyInAnyOrder("deployment.yaml", "service.yaml", "pdb.yaml", "hpa.yaml", "ingress.yaml");
        for (String resource : resources) {
            assertThat(single(resource)).containsKeys("apiVersion", "kind", "metadata", "spec");
        }
        assertThat(resources).as("the example Secret is never applied").doesNotContain("secret.example.yaml");
    }

    @Test
    void the_container_serves_the_ports_and_probe_paths_the_service_has() throws IOException {
        Properties properties = properties();
        Map<String, Object> container = container();
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (Object port : list(container.get("ports"))) {
            Map<String, Object> named = map(port);
            ports.put((String) named.get("name"), (Integer) named.get("containerPort"));
        }
        assertThat(ports).containsEntry("webhook", Integer.parseInt(defaultOf(properties, "camel.server.port")))
                .containsEntry("management", Integer.parseInt(defaultOf(properties, "camel.management.port")));
        assertThat(path(container, "livenessProbe")).isEqualTo("/observe/health/live");
        assertThat(path(container, "readinessProbe")).isEqualTo("/observe/health/ready");
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("port")).isEqualTo("management");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("port")).isEqualTo("management");
    }

    @Test
    void the_grace_period_outlasts_the_pre_stop_pause_and_the_drain() throws IOException {
        int drain = Integer.parseInt(properties().getProperty("camel.main.shutdown-timeout").trim());
        Map<String, Object> pod = podSpec();
        int pause = (Integer) map(map(map(container().get("lifecycle")).get("preStop")).get("sleep")).get("seconds");
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(pause + drain);
    }

    @Test
    void the_pods_run_hardened_with_their_secrets_from_a_secret() throws IOException {
        Map<String, Object> deployment = single("deployment.yaml");
        assertThat((Integer) map(deployment.get("spec")).get("replicas")).isGreaterThanOrEqualTo(2);
        assertThat(map(podSpec().get("securityContext"))).containsEntry("runAsNonRoot", true);
        Map<String, Object> container = container();
        assertThat(map(container.get("securityContext"))).containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false);
        assertThat(list(container.get("volumeMounts"))).anySatisfy(mount -> assertThat(map(mount)).containsEntry("mountPath", "/tmp"));
        assertThat(map(map(container.get("resources")).get("limits"))).containsKey("memory");
        for (String secret : List.of("CLERK_WEBHOOK_SECRET", "DATABASE_PASSWORD", "DATABASE_URL", "MONGODB_URI")) {
            assertThat(list(container.get("env"))).as(secret).anySatisfy(variable -> {
                assertThat(map(variable)).containsEntry("name", secret);
                assertThat(map(map(map(variable).get("valueFrom")).get("secretKeyRef"))).containsEntry("name", "clerk-sync");
            });
        }
    }

    @Test
    void the_service_ingress_budget_and_autoscaler_point_at_the_deployment() throws IOException {
        assertThat(map(list(map(single("service.yaml").get("spec")).get("ports")).get(0))).containsEntry("targetPort", "webhook");
        assertThat(map(single("pdb.yaml").get("spec"))).containsEntry("minAvailable", 1);
        Map<String, Object> hpa = map(single("hpa.yaml").get("spec"));
        assertThat(map(hpa.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", "clerk-sync");
        assertThat((Integer) hpa.get("minReplicas")).isGreaterThanOrEqualTo(2);
        String ingress = Files.readString(DIR.resolve("ingress.yaml"));
        assertThat(ingress).contains("/api/webhooks/clerk", "/api/v1/auth/webhook", "tls:").doesNotContain("/admin", "/observe");
    }

    private static Map<String, Object> container() throws IOException {
        return map(list(podSpec().get("containers")).get(0));
    }

    private static Map<String, Object> podSpec() throws IOException {
        return map(map(map(single("deployment.yaml").get("spec")).get("template")).get("spec"));
    }

    private static String path(Map<String, Object> container, String probe) {
        return (String) map(map(container.get(probe)).get("httpGet")).get("path");
    }

    private static Properties properties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    /** The default of a {@code {{env:NAME:default}}} property. */
    private static String defaultOf(Properties properties, String key) {
        Matcher matcher = DEFAULT.matcher(properties.getProperty(key));
        assertThat(matcher.find()).as(key).isTrue();
        return matcher.group(2);
    }

    private static Map<String, Object> single(String file) throws IOException {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(DIR.resolve(file))).forEach(documents::add);
        assertThat(documents).as(file).hasSize(1);
        return map(documents.get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<T>) value;
    }
}

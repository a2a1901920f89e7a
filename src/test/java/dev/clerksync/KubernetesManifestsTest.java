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
 * and the hardening a platform team expects; deploy/kubernetes/monitoring, the scrape of the
 * management port and alert rules that Prometheus would load, each explained in docs/operations.md.
 */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("deploy", "kubernetes");
    static final Pattern DEFAULT = Pattern.compile("\\{\\{env:([A-Z_]+):([^}]*)}}");
    static final Path MONITORING = DIR.resolve("monitoring");
    /** A Prometheus duration as a rule's {@code for} takes it. */
    static final Pattern DURATION = Pattern.compile("[0-9]+[smhd]");

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

    @Test
    void the_monitoring_kustomization_scrapes_the_management_port_s_metrics_path() throws IOException {
        List<String> resources = list(single(MONITORING, "kustomization.yaml").get("resources"));
        assertThat(resources).containsExactlyInAnyOrder("podmonitor.yaml", "prometheusrule.yaml");
        Map<String, Object> podMonitor = single(MONITORING, "podmonitor.yaml");
        assertThat(podMonitor).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "PodMonitor");
        Map<String, Object> spec = map(podMonitor.get("spec"));
        assertThat(map(map(spec.get("selector")).get("matchLabels"))).containsEntry("app.kubernetes.io/name", "clerk-sync");
        assertThat(spec).containsEntry("jobLabel", "app.kubernetes.io/name");
        Map<String, Object> endpoint = map(list(spec.get("podMetricsEndpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "management")
                .containsEntry("path", "/observe/metrics");
        assertThat(list(container().get("ports"))).anySatisfy(port -> assertThat(map(port)).containsEntry("name", "management"));
    }

    @Test
    void every_alert_rule_is_complete_selects_the_scraped_job_and_is_explained_in_the_operations_page() throws IOException {
        Map<String, Object> rule = single(MONITORING, "prometheusrule.yaml");
        assertThat(rule).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "PrometheusRule");
        String operations = Files.readString(Path.of("docs", "operations.md"));
        List<String> alerts = new ArrayList<>();
        for (Object group : list(map(rule.get("spec")).get("groups"))) {
            for (Object each : list(map(group).get("rules"))) {
                Map<String, Object> alert = map(each);
                String name = (String) alert.get("alert");
                alerts.add(name);
                assertThat((String) alert.get("expr")).as(name).contains("job=\"clerk-sync\"");
                assertThat(map(alert.get("labels"))).as(name).containsKey("severity");
                assertThat(map(alert.get("annotations"))).as(name).containsKeys("summary", "description");
                assertThat((String) map(alert.get("annotations")).get("description")).as(name).contains(name);
                if (alert.containsKey("for")) {
                    assertThat((String) alert.get("for")).as(name).matches(DURATION);
                }
                assertThat(operations).as("docs/operations.md explains " + name).contains("### " + name);
            }
        }
        assertThat(alerts).contains("ClerkSyncNoVerifiedDelivery", "ClerkSyncServerErrors", "ClerkSyncChangeEventBacklog",
                "ClerkSyncReconcileRepaired").doesNotHaveDuplicates();
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
        return single(DIR, file);
    }

    private static Map<String, Object> single(Path dir, String file) throws IOException {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(dir.resolve(file))).forEach(documents::add);
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

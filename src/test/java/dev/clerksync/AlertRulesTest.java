package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/kubernetes/monitoring/prometheusrule.yaml as Prometheus reads it: Prometheus's own promtool
 * checks the expressions and runs the unit tests of src/test/resources/monitoring/alert-rules-test.yaml,
 * series in, alerts out. Needs promtool on the PATH (.ci/run puts it there); skipped without it,
 * except under CI=true.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("deploy", "kubernetes", "monitoring", "prometheusrule.yaml");

    @Test
    void prometheus_accepts_the_rules_and_each_alert_fires_when_it_should_and_not_before(@TempDir Path dir)
            throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, new Dump(DumpSettings.builder().build()).dumpToString(groupsWithoutAnnotations()));
        Path tests = dir.resolve("alert-rules-test.yaml");
        try (InputStream in = AlertRulesTest.class.getResourceAsStream("/monitoring/alert-rules-test.yaml")) {
            Files.copy(in, tests, StandardCopyOption.REPLACE_EXISTING);
        }

        assertThat(promtool(dir, "check", "rules", rules.toString())).contains("SUCCESS: 5 rules found");
        assertThat(promtool(dir, "test", "rules", tests.toString())).contains("SUCCESS");
    }

    /**
     * The PrometheusRule's groups as a plain rules file. Without the annotations: a promtool test
     * would have to repeat each text; KubernetesManifestsTest checks they are there.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> groupsWithoutAnnotations() throws IOException {
        Map<String, Object> rule = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(RULES));
        Map<String, Object> spec = (Map<String, Object>) rule.get("spec");
        for (Object group : (List<Object>) spec.get("groups")) {
            for (Object each : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                ((Map<String, Object>) each).remove("annotations");
            }
        }
        return Map.of("groups", spec.get("groups"));
    }

    private static String promtool(Path dir, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            String message = "promtool is missing: .ci/run shows how to take it out of Debian's prometheus package";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message, e);
            }
            Assumptions.abort(message);
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}

package dev.clerksync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import dev.clerksync.support.ClerkEvents;
import dev.clerksync.support.RunningService;
import dev.clerksync.support.TestCertificates;
import dev.clerksync.support.TestCertificates.CertificateFiles;
import dev.clerksync.support.WebhookClient;
import dev.clerksync.support.WebhookClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With SERVER_TLS_CERT and SERVER_TLS_KEY the webhook port speaks HTTPS only (Clerk requires it),
 * with a certificate made at test time; the management port stays plain HTTP for probes.
 */
class HttpsTest {

    @TempDir
    static Path dir;

    static CertificateFiles certificate;
    static RunningService service;

    @BeforeAll
    static void start() {
        certificate = TestCertificates.rsa(dir, "server");
        service = RunningService.start(Map.of(
                "clerk.webhook.secret", RunningService.SECRET,
                "clerk.sync.stores", "mongodb",
                "clerk.mongodb.uri", "",
                "clerk.data.dir", dir.resolve("data").toString(),
                "clerk.server.tls-cert", certificate.certificate().toString(),
                "clerk.server.tls-key", certificate.key().toString()));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void a_signed_delivery_over_https_is_applied() {
        WebhookClient client = new WebhookClient(service.httpsBaseUrl(), RunningService.SECRET,
                TestCertificates.trusting(certificate.certificate()));

        Response response = client.send(ClerkEvents.user("user.created", "user_https", 1_730_000_000_000L).json());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.field("status")).isEqualTo("applied");
    }

    @Test
    void plain_http_on_the_webhook_port_gets_no_answer() {
        WebhookClient plain = service.client();
        String payload = ClerkEvents.user("user.created", "user_plain", 1_730_000_000_000L).json();

        assertThatThrownBy(() -> plain.send(payload))
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void the_management_port_still_answers_plain_http() {
        WebhookClient management = new WebhookClient(service.managementUrl(), RunningService.SECRET);

        assertThat(management.request("GET", "/observe/health/live", Map.of(), new byte[0]).status()).isEqualTo(200);
    }
}

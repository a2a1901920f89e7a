package dev.clerksync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

import dev.clerksync.InvalidConfigurationException;
import dev.clerksync.support.TestCertificates;
import dev.clerksync.support.TestCertificates.CertificateFiles;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SERVER_TLS_CERT and SERVER_TLS_KEY as openssl writes them, and the mistakes operators make with them. */
class PemTlsTest {

    @TempDir
    Path dir;

    @Test
    void an_rsa_certificate_and_its_pkcs8_key_become_the_server_identity() throws Exception {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");

        assertServesAs(PemTls.fromPem(rsa.certificate(), rsa.key()), "RSA", rsa.certificate());
    }

    @Test
    void an_ec_certificate_and_its_pkcs8_key_become_the_server_identity() throws Exception {
        CertificateFiles ec = TestCertificates.ec(dir, "ec");

        assertServesAs(PemTls.fromPem(ec.certificate(), ec.key()), "EC", ec.certificate());
    }

    @Test
    void neither_file_set_means_plain_http() {
        assertThat(PemTls.fromSettings("", "")).isEmpty();
    }

    @Test
    void both_files_set_mean_https() {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");

        assertThat(PemTls.fromSettings(rsa.certificate().toString(), rsa.key().toString())).isPresent();
    }

    @Test
    void a_certificate_without_a_key_names_the_missing_key_variable() {
        assertThatThrownBy(() -> PemTls.fromSettings(dir.resolve("cert.pem").toString(), ""))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("SERVER_TLS_KEY is not set");
    }

    @Test
    void a_key_without_a_certificate_names_the_missing_certificate_variable() {
        assertThatThrownBy(() -> PemTls.fromSettings("", dir.resolve("key.pem").toString()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("SERVER_TLS_CERT is not set");
    }

    @Test
    void a_pkcs1_rsa_key_is_refused_with_the_command_that_converts_it() throws Exception {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");
        Path pkcs1 = TestCertificates.pkcs1Copy(rsa.key());

        InvalidConfigurationException refused = refusal(rsa.certificate(), pkcs1);

        assertThat(refused).hasMessageContaining("SERVER_TLS_KEY")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
        assertHoldsNothingOf(refused, pkcs1);
    }

    @Test
    void a_missing_certificate_file_names_the_variable_and_the_path() {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");
        Path missing = dir.resolve("no-such-cert.pem");

        assertThat(refusal(missing, rsa.key()))
                .hasMessageContaining("SERVER_TLS_CERT").hasMessageContaining(missing.toString());
    }

    @Test
    void a_missing_key_file_names_the_variable_and_the_path() {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");
        Path missing = dir.resolve("no-such-key.pem");

        assertThat(refusal(rsa.certificate(), missing))
                .hasMessageContaining("SERVER_TLS_KEY").hasMessageContaining(missing.toString());
    }

    @Test
    void a_key_given_as_the_certificate_is_refused_as_holding_no_certificate() throws Exception {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");

        InvalidConfigurationException refused = refusal(rsa.key(), rsa.key());

        assertThat(refused).hasMessageContaining("SERVER_TLS_CERT").hasMessageContaining("no PEM certificate");
        assertHoldsNothingOf(refused, rsa.key());
    }

    @Test
    void a_certificate_given_as_the_key_is_refused_as_holding_no_key() throws Exception {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");

        InvalidConfigurationException refused = refusal(rsa.certificate(), rsa.certificate());

        assertThat(refused).hasMessageContaining("SERVER_TLS_KEY").hasMessageContaining("no PEM private key");
        assertHoldsNothingOf(refused, rsa.certificate());
    }

    @Test
    void a_key_that_belongs_to_another_certificate_is_refused() throws Exception {
        CertificateFiles server = TestCertificates.rsa(dir, "server");
        CertificateFiles other = TestCertificates.rsa(dir, "other");

        InvalidConfigurationException refused = refusal(server.certificate(), other.key());

        assertThat(refused).hasMessageContaining("SERVER_TLS_KEY does not belong to the certificate in SERVER_TLS_CERT");
        assertHoldsNothingOf(refused, server.certificate(), other.key());
    }

    @Test
    void a_key_of_another_algorithm_than_the_certificate_is_refused() {
        CertificateFiles rsa = TestCertificates.rsa(dir, "rsa");
        CertificateFiles ec = TestCertificates.ec(dir, "ec");

        assertThat(refusal(rsa.certificate(), ec.key()))
                .hasMessageContaining("SERVER_TLS_KEY does not belong to the certificate in SERVER_TLS_CERT");
    }

    private static InvalidConfigurationException refusal(Path certificate, Path key) {
        InvalidConfigurationException refused =
                catchThrowableOfType(() -> PemTls.fromPem(certificate, key), InvalidConfigurationException.class);
        assertThat(refused).as("refused").isNotNull();
        return refused;
    }

    /** Not one line of base64 from the files: the message goes to logs, and a key is a secret. */
    private static void assertHoldsNothingOf(InvalidConfigurationException refused, Path... files) throws Exception {
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("-----")) {
                    assertThat(refused.getMessage()).doesNotContain(line);
                }
            }
        }
    }

    /** The key managers Camel builds offer a server identity for this key type, with this certificate first. */
    private static void assertServesAs(SSLContextParameters parameters, String keyType, Path certificateFile) throws Exception {
        KeyManager[] managers = parameters.getKeyManagers().createKeyManagers();
        X509KeyManager manager = (X509KeyManager) managers[0];
        String[] aliases = manager.getServerAliases(keyType, null);

        assertThat(aliases).hasSize(1);
        assertThat(manager.getCertificateChain(aliases[0])[0]).isEqualTo(certificate(certificateFile));
        assertThat(manager.getPrivateKey(aliases[0]).getAlgorithm()).isEqualTo(keyType);
    }

    private static Certificate certificate(Path file) throws Exception {
        try (InputStream pem = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(pem);
        }
    }
}

package dev.clerksync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for 127.0.0.1 and localhost, made at test time by the {@code openssl}
 * command as an operator would make them, so that no key is ever committed. With OpenSSL 3,
 * {@code -nodes} writes the key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 */
public final class TestCertificates {

    /** A certificate file and the private key file that belongs to it. */
    public record CertificateFiles(Path certificate, Path key) {
    }

    private TestCertificates() {
    }

    /** An RSA 2048 certificate and key, named {@code <name>-cert.pem} and {@code <name>-key.pem} in {@code dir}. */
    public static CertificateFiles rsa(Path dir, String name) {
        return selfSigned(dir, name, "rsa:2048");
    }

    /** An EC P-256 certificate and key, named like {@link #rsa}. */
    public static CertificateFiles ec(Path dir, String name) {
        return selfSigned(dir, name, "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    /** The same RSA key in the older PKCS#1 form ({@code BEGIN RSA PRIVATE KEY}) that clerk-sync refuses. */
    public static Path pkcs1Copy(Path pkcs8RsaKey) {
        Path pkcs1 = pkcs8RsaKey.resolveSibling("pkcs1-" + pkcs8RsaKey.getFileName());
        openssl("rsa", "-in", pkcs8RsaKey.toString(), "-traditional", "-out", pkcs1.toString());
        return pkcs1;
    }

    /** TLS for a client that trusts this certificate and nothing else. */
    public static SSLContext trusting(Path certificate) {
        try (InputStream pem = Files.newInputStream(certificate)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificateFiles selfSigned(Path dir, String name, String newKey, String... keyOptions) {
        CertificateFiles files = new CertificateFiles(dir.resolve(name + "-cert.pem"), dir.resolve(name + "-key.pem"));
        List<String> arguments = new ArrayList<>(List.of("req", "-x509", "-newkey", newKey));
        arguments.addAll(List.of(keyOptions));
        arguments.addAll(List.of("-nodes", "-keyout", files.key().toString(), "-out", files.certificate().toString(),
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        openssl(arguments.toArray(new String[0]));
        return files;
    }

    private static void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // read before waiting, so that a chatty openssl cannot fill the pipe and stall
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl did not finish: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed (" + process.exitValue() + "): " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl, which these tests need", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.clerksync.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clerksync.InvalidConfigurationException;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The webhook port's TLS identity, from the two PEM files that certificate authorities hand out
 * (Let's Encrypt's {@code fullchain.pem} and {@code privkey.pem}, say): {@code SERVER_TLS_CERT}, the
 * server's certificate followed by any intermediates, and {@code SERVER_TLS_KEY}, its unencrypted
 * PKCS#8 private key. The key store they become lives in memory only, so the private key is never
 * written anywhere else. Error messages name the variable and the path, never what the files hold.
 */
public final class PemTls {

    static final String CERTIFICATE_VARIABLE = "SERVER_TLS_CERT";
    static final String KEY_VARIABLE = "SERVER_TLS_KEY";

    private static final Pattern CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern PKCS8_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL);
    /** Forms that openssl can turn into PKCS#8: PKCS#1 (RSA), SEC 1 (EC) and encrypted PKCS#8. */
    private static final Pattern CONVERTIBLE_KEY = Pattern.compile("-----BEGIN (RSA |EC |ENCRYPTED )PRIVATE KEY-----");
    private static final String CONVERSION_HINT = "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem";
    private static final String ALIAS = "clerk-sync";

    private PemTls() {
    }

    /**
     * What {@code SERVER_TLS_CERT} and {@code SERVER_TLS_KEY} ask for: nothing when neither is set
     * (plain HTTP); both files loaded when both are; one without the other is a mistake.
     */
    public static Optional<SSLContextParameters> fromSettings(String certificateChain, String privateKey) {
        if (certificateChain.isEmpty() && privateKey.isEmpty()) {
            return Optional.empty();
        }
        if (certificateChain.isEmpty() || privateKey.isEmpty()) {
            String missing = certificateChain.isEmpty() ? CERTIFICATE_VARIABLE : KEY_VARIABLE;
            throw new InvalidConfigurationException(missing + " is not set: HTTPS needs both "
                    + CERTIFICATE_VARIABLE + " and " + KEY_VARIABLE + " (set neither for plain HTTP)");
        }
        return Optional.of(fromPem(Path.of(certificateChain), Path.of(privateKey)));
    }

    public static SSLContextParameters fromPem(Path certificateChain, Path privateKey) {
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey);
        requireKeyOf(chain.get(0), key);

        // The password only guards a key store that never leaves this object, so any will do;
        // a random one keeps a fixed password out of the code.
        String password = randomPassword();
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setKeyStore(keyStoreOf(chain, key, password));
        keyStore.setPassword(password);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(password);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        return parameters;
    }

    private static List<X509Certificate> readCertificates(Path file) {
        String pem = read(file, CERTIFICATE_VARIABLE);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Matcher block = CERTIFICATE.matcher(pem);
            while (block.find()) {
                byte[] der = decode(block.group(1), CERTIFICATE_VARIABLE + " (" + file + "): certificate " + (chain.size() + 1));
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new InvalidConfigurationException(CERTIFICATE_VARIABLE + " (" + file + "): certificate "
                    + (chain.size() + 1) + " is not a valid X.509 certificate", e);
        }
        if (chain.isEmpty()) {
            throw new InvalidConfigurationException(CERTIFICATE_VARIABLE + " (" + file
                    + ") holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) {
        String pem = read(file, KEY_VARIABLE);
        Matcher block = PKCS8_KEY.matcher(pem);
        if (!block.find()) {
            String problem = CONVERTIBLE_KEY.matcher(pem).find()
                    ? " holds a private key that is not in unencrypted PKCS#8 form (-----BEGIN PRIVATE KEY-----); convert it with: "
                            + CONVERSION_HINT
                    : " holds no PEM private key (-----BEGIN PRIVATE KEY-----)";
            throw new InvalidConfigurationException(KEY_VARIABLE + " (" + file + ")" + problem);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(decode(block.group(1), KEY_VARIABLE + " (" + file + "): the key"));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // not this algorithm: try the next
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM cannot read " + algorithm + " keys", e);
            }
        }
        // The key's own exceptions are left out: they describe the key material.
        throw new InvalidConfigurationException(KEY_VARIABLE + " (" + file + ") holds neither an RSA nor an EC private key");
    }

    /** Signs a challenge with the key and checks it with the certificate, whatever the algorithm. */
    private static void requireKeyOf(X509Certificate certificate, PrivateKey key) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // an EC key against an RSA certificate, or the reverse
            matches = false;
        }
        if (!matches) {
            throw new InvalidConfigurationException(KEY_VARIABLE + " does not belong to the certificate in "
                    + CERTIFICATE_VARIABLE + ": the first certificate must be the server's own, and the key its private key");
        }
    }

    private static KeyStore keyStoreOf(List<X509Certificate> chain, PrivateKey key, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the in-memory key store", e);
        }
    }

    private static String read(Path file, String variable) {
        try {
            // PEM is ASCII; ISO-8859-1 reads any bytes, so a binary file is reported as holding no PEM block.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigurationException(variable + " names a file that does not exist: " + file);
        } catch (AccessDeniedException e) {
            throw new InvalidConfigurationException(variable + " names a file this process may not read: " + file);
        } catch (IOException e) {
            throw new InvalidConfigurationException(variable + " names a file that cannot be read: " + file, e);
        }
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(what + " is not valid base64");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

package dev.clerksync.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Clerk payloads kept in the repository under {@code src/test/resources/clerk-fixtures/}, with the
 * relative names they have in the shared fixtures: the tests need nothing outside the clone.
 */
public final class BundledFixtures {

    private static final String ROOT = "/clerk-fixtures/";

    private BundledFixtures() {
    }

    public static String read(String relativePath) {
        try (InputStream in = BundledFixtures.class.getResourceAsStream(ROOT + relativePath)) {
            if (in == null) {
                throw new IllegalStateException("no test fixture " + ROOT + relativePath);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

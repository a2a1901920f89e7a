package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Clerk payloads in {@code ../shared/fixtures} (or where {@code -Dclerk.fixtures} points). */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("clerk.fixtures", "../shared/fixtures"));
    }

    public static String read(String relativePath) {
        try {
            return Files.readString(dir().resolve(relativePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

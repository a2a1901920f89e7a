package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Clerk payloads of the project's shared fixtures: where {@code -Dclerk.fixtures} or
 * {@code CLERK_FIXTURES} points, otherwise the nearest {@code shared/fixtures} found walking up from
 * the working directory (the repository's clone sits beside {@code shared/}).
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getProperty("clerk.fixtures", System.getenv("CLERK_FIXTURES"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the shared fixtures were not found beside this clone: "
                + "set CLERK_FIXTURES (or -Dclerk.fixtures) to the shared/fixtures directory");
    }

    public static String read(String relativePath) {
        try {
            return Files.readString(dir().resolve(relativePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code *.json} files directly in a folder ("" for the top level), as sorted paths for {@link #read}. */
    public static List<String> jsonFiles(String folder) {
        Path base = dir().resolve(folder);
        try (Stream<Path> files = Files.list(base)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .map(file -> dir().relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

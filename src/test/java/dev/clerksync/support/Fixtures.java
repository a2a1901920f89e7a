package dev.clerksync.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Clerk payloads of {@code src/test/resources/clerk-fixtures} (where they come from: its
 * README), read from the test classpath, so that the tests need nothing outside the repository.
 */
public final class Fixtures {

    private static final String ROOT = "clerk-fixtures";

    private Fixtures() {
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
        Path dir = dir();
        try (Stream<Path> files = Files.list(dir.resolve(folder))) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".json"))
                    .map(file -> dir.relativize(file).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fixtures' folder. Maven puts test resources in a directory ({@code target/test-classes}),
     * never in a jar, so the resource is a file URL and its folder can be listed.
     */
    private static Path dir() {
        URL url = Fixtures.class.getClassLoader().getResource(ROOT);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("the Clerk fixtures are not a directory on the test classpath: " + url);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

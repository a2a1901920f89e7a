package dev.clerksync.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin view's SQL statements, one file each under {@code sql/admin/}. A statement that H2 and
 * PostgreSQL need written differently has its own file under {@code sql/admin/<dialect>/}, which
 * then comes first; every other file serves both.
 */
final class AdminSql {

    private AdminSql() {
    }

    /**
     * The text of {@code sql/admin/<name>.sql} (or its dialect's own); IllegalStateException when
     * there is neither.
     *
     * @param dialect {@code postgresql} or {@code h2}, as the store names its migrations' folder
     */
    static String load(String dialect, String name) {
        String text = resource("sql/admin/" + dialect + "/" + name + ".sql");
        if (text == null) {
            text = resource("sql/admin/" + name + ".sql");
        }
        if (text == null) {
            throw new IllegalStateException("missing sql/admin/" + name + ".sql");
        }
        return text;
    }

    private static String resource(String path) {
        try (InputStream in = AdminSql.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

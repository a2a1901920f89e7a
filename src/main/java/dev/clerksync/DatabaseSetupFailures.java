package dev.clerksync;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relational store that cannot open because of its settings (the database in DATABASE_URL does
 * not exist, the credentials are refused) is a configuration error: one line that names the
 * database and says what to do, instead of the driver's stack trace.
 */
final class DatabaseSetupFailures {

    /** PostgreSQL's SQLSTATEs: invalid_catalog_name; invalid_password, invalid_authorization_specification. */
    private static final String NO_SUCH_DATABASE = "3D000";
    private static final String INVALID_PASSWORD = "28P01";
    private static final String NOT_AUTHORIZED = "28000";

    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/:,]+)(?::(\\d+))?/([^?;]+)");

    private DatabaseSetupFailures() {
    }

    /** The failure as an {@link InvalidConfigurationException} when a setting causes it; otherwise as it was. */
    static Exception explained(Exception failure, String databaseUrl) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String url = withoutCredentials(databaseUrl);
                switch (sql.getSQLState()) {
                    case NO_SUCH_DATABASE -> {
                        return new InvalidConfigurationException("the database of DATABASE_URL " + url
                                + " does not exist: create it (" + createdb(url) + ") or set DATABASE_URL to one that does", failure);
                    }
                    case INVALID_PASSWORD, NOT_AUTHORIZED -> {
                        return new InvalidConfigurationException("PostgreSQL at " + url
                                + " (DATABASE_URL) refused DATABASE_USER / DATABASE_PASSWORD: check them", failure);
                    }
                    default -> {
                        return failure;
                    }
                }
            }
        }
        return failure;
    }

    /** The URL without its query (which may carry user and password) and without a user:password@ part. */
    static String withoutCredentials(String url) {
        String bare = url.replaceFirst("[?;].*$", "");
        return bare.replaceFirst("//[^/@]*@", "//");
    }

    /** The createdb command that makes the database of this URL. */
    static String createdb(String url) {
        Matcher parts = POSTGRES_URL.matcher(url);
        if (!parts.matches()) {
            return "createdb";
        }
        return "createdb -h " + parts.group(1) + (parts.group(2) == null ? "" : " -p " + parts.group(2)) + " " + parts.group(3);
    }
}

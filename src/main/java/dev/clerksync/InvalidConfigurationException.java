package dev.clerksync;

/** A setting that stops start-up; its message names the variable and never contains a secret. */
public final class InvalidConfigurationException extends IllegalArgumentException {

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The configuration error behind a start-up failure, or null when it was something else. */
    public static InvalidConfigurationException findIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException invalid) {
                return invalid;
            }
        }
        return null;
    }
}

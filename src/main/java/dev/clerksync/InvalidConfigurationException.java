package dev.clerksync;

/** A setting that stops start-up; its message names the variable and never contains a secret. */
public final class InvalidConfigurationException extends IllegalArgumentException {

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.clerksync.mapping;

import dev.clerksync.InvalidConfigurationException;

/** A mapping that cannot work: the service and every command refuse to start (exit 2) with this one line. */
final class InvalidMapping {

    private InvalidMapping() {
    }

    static InvalidConfigurationException of(String file, String id, String problem) {
        String line = file + ": mapping " + (id == null ? "(no id)" : "'" + id + "'") + ": " + problem;
        return new InvalidConfigurationException(line.replaceAll("\\s*[\\r\\n]+\\s*", " "));
    }
}

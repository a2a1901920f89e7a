package dev.clerksync.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line arguments: {@code --name value} options and positional values, in any order. */
final class Args {

    private final Map<String, String> options;
    private final List<String> positionals;

    private Args(Map<String, String> options, List<String> positionals) {
        this.options = options;
        this.positionals = positionals;
    }

    static Args parse(String[] argv) {
        Map<String, String> options = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].startsWith("--")) {
                if (i + 1 == argv.length) {
                    throw new IllegalArgumentException(argv[i] + " needs a value");
                }
                options.put(argv[i].substring(2), argv[++i]);
            } else {
                positionals.add(argv[i]);
            }
        }
        return new Args(options, positionals);
    }

    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw new IllegalArgumentException("missing " + what);
        }
        return positionals.get(index);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    String get(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    int intValue(String name, int defaultValue) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : defaultValue;
    }

    long longValue(String name, long defaultValue) {
        return options.containsKey(name) ? Long.parseLong(options.get(name)) : defaultValue;
    }

    double doubleValue(String name, double defaultValue) {
        return options.containsKey(name) ? Double.parseDouble(options.get(name)) : defaultValue;
    }
}

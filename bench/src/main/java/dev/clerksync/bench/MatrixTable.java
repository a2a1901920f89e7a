package dev.clerksync.bench;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The markdown table of bench/RESULTS.md: the runs' summaries ({@code DIR/<run>/summary.env})
 * grouped by stores and concurrency, each figure the median of the runs that verified; a run whose
 * stores did not end in the model's state is counted, never averaged in.
 */
final class MatrixTable {

    private static final List<String> STORES_ORDER = List.of("postgres,mongodb", "postgres", "mongodb");
    private static final Map<String, String> COLUMNS = columns();

    private MatrixTable() {
    }

    static int run(Args args) throws IOException {
        Path dir = Path.of(args.positional(0, "DIR"));
        List<Properties> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path summary : files.map(run -> run.resolve("summary.env")).filter(Files::isRegularFile).toList()) {
                Properties run = new Properties();
                run.load(new StringReader(Files.readString(summary)));
                runs.add(run);
            }
        }
        Map<String, List<Properties>> groups = runs.stream()
                .sorted(Comparator.comparing((Properties run) -> STORES_ORDER.indexOf(run.getProperty("stores")))
                        .thenComparing(run -> Integer.parseInt(run.getProperty("concurrency"))))
                .collect(Collectors.groupingBy(run -> run.getProperty("stores") + " | " + run.getProperty("concurrency"),
                        LinkedHashMap::new, Collectors.toList()));
        System.out.println("| stores | concurrency | verified runs | " + String.join(" | ", COLUMNS.values()) + " |");
        System.out.println("|---|---:|---:|" + "---:|".repeat(COLUMNS.size()));
        groups.forEach((group, members) -> System.out.println(row(group, members)));
        return 0;
    }

    private static String row(String group, List<Properties> members) {
        List<Properties> verified = members.stream()
                .filter(run -> "OK".equals(run.getProperty("verification")))
                .toList();
        StringBuilder row = new StringBuilder("| " + group + " | " + verified.size() + "/" + members.size() + " |");
        for (String key : COLUMNS.keySet()) {
            List<Double> values = verified.stream()
                    .map(run -> run.getProperty(key))
                    .filter(value -> value != null && !value.isBlank())
                    .map(Double::parseDouble)
                    .sorted()
                    .toList();
            row.append(' ').append(cell(key, values)).append(" |");
        }
        return row.toString();
    }

    /** The median; for throughput also the range, which shows how noisy the machine was. */
    private static String cell(String key, List<Double> values) {
        if (values.isEmpty()) {
            return "–";
        }
        String median = format(median(values));
        if (key.equals("deliveries_per_s") && values.size() > 1) {
            return median + " (" + format(values.get(0)) + "–" + format(values.get(values.size() - 1)) + ")";
        }
        return median;
    }

    private static double median(List<Double> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String format(double value) {
        boolean whole = value >= 100 || value == Math.rint(value);
        return String.format(Locale.ROOT, whole ? "%.0f" : "%.1f", value);
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("deliveries_per_s", "deliveries/s (min–max)");
        columns.put("p50_ms", "p50 ms");
        columns.put("p95_ms", "p95 ms");
        columns.put("p99_ms", "p99 ms");
        columns.put("non2xx", "non-2xx");
        columns.put("service_cpu_pct", "service CPU %");
        columns.put("peak_rss_mb", "service peak RSS MB");
        columns.put("startup_ms", "start-up ms");
        columns.put("pgbench_tps", "pgbench tps");
        columns.put("fraction_of_pgbench_pct", "% of pgbench");
        columns.put("mongo_cpu_pct", "mongo-server CPU %");
        columns.put("postgres_cpu_pct", "postgres CPU %");
        columns.put("loadgen_cpu_pct", "load generator CPU %");
        columns.put("other_cpu_pct", "other CPU %");
        return columns;
    }
}

package dev.clerksync.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of one load run: a block for people, and the same figures as {@code key=value} lines
 * for bench/run.sh and bench/matrix.sh.
 */
final class LoadReport {

    private static final int BUSIEST_THREADS = 8;

    private final LoadOptions options;
    private final DeliveryStream stream;
    private final long generationMs;
    private final long signingMs;
    private final LoadRunner.Run run;
    private final double peakRssMb;
    private final LoadRunner.Redelivery redelivery;
    private final List<Verification> verifications;
    private final Latencies.Percentiles latency;

    LoadReport(LoadOptions options, DeliveryStream stream, long generationMs, long signingMs, LoadRunner.Run run,
               double peakRssMb, LoadRunner.Redelivery redelivery, List<Verification> verifications) {
        this.options = options;
        this.stream = stream;
        this.generationMs = generationMs;
        this.signingMs = signingMs;
        this.run = run;
        this.peakRssMb = peakRssMb;
        this.redelivery = redelivery;
        this.verifications = verifications;
        this.latency = run.tally().latencies.percentiles();
    }

    boolean verified() {
        return redelivery.stillUnacknowledged() == 0 && verifications.stream().allMatch(Verification::ok);
    }

    private double deliveriesPerSecond() {
        return run.tally().count(200) / run.measuredSeconds();
    }

    void print(PrintStream out) {
        Tally tally = run.tally();
        CpuSnapshot.CpuUsage cpu = run.cpu();
        out.printf(Locale.ROOT, "clerk-sync load: stores=%s concurrency=%d warm-up=%.0fs duration=%.0fs duplicates=%.2f users=%d%n",
                String.join(",", options.stores()), options.concurrency(), options.warmupSeconds(),
                options.durationSeconds(), options.duplicates(), options.users());
        out.printf(Locale.ROOT, "  stream      %d entries (%d distinct), generated in %d ms, signed in %d ms; user event bodies %s%n",
                stream.length(), stream.distinctCount(), generationMs, signingMs, userBodySizes());
        out.printf(Locale.ROOT, "  sent        %d entries%s; measured %d requests in %.1f s%n", run.sentEntries(),
                run.exhausted() ? " (THE STREAM RAN OUT: raise --stream-rate)" : "", tally.latencies.count(),
                run.measuredSeconds());
        out.printf(Locale.ROOT, "  throughput  %.1f deliveries/s answered 200%n", deliveriesPerSecond());
        out.printf(Locale.ROOT, "  per second  %s (200s answered in each second, warm-up first)%n",
                Arrays.stream(run.acceptedPerSecond()).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
        out.printf(Locale.ROOT, "  latency     p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                latency.p50(), latency.p95(), latency.p99(), latency.max());
        out.printf(Locale.ROOT, "  answers     %s; non-2xx %s%s%n", tally.outcomes, describe(tally.non2xx()),
                tally.failures.isEmpty() ? "" : " (0 = no answer: " + tally.failures + ")");
        out.printf(Locale.ROOT, "  cpu         %% of one core: service %.0f, mongo-server %.0f, postgres %.0f, load generator %.0f, other %.0f; machine %.0f of %d%n",
                cpu.service(), cpu.mongoServer(), cpu.postgres(), cpu.loadGenerator(), cpu.other(), cpu.machine(),
                100 * Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  threads     service CPU by thread name, %% of one core: %s%n", busiestThreads(cpu));
        out.printf(Locale.ROOT, "  memory      service peak RSS (VmHWM) %.0f MB%n", peakRssMb);
        out.printf(Locale.ROOT, "  redelivery  %d deliveries without a 200 re-sent after the run, %d still unacknowledged%n",
                redelivery.redelivered(), redelivery.stillUnacknowledged());
        for (Verification verification : verifications) {
            out.println("  verified    " + verification.summary());
            verification.examples().forEach(example -> out.println("                " + example));
        }
        out.println("  result      " + (verified() ? "OK" : "FAILED: the stores do not hold what was sent; not a result"));
    }

    void writeSummary(String file) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("stores", String.join(",", options.stores()));
        summary.put("concurrency", options.concurrency());
        summary.put("duration_s", options.durationSeconds());
        summary.put("duplicates", options.duplicates());
        summary.put("deliveries_per_s", format(deliveriesPerSecond()));
        summary.put("p50_ms", format(latency.p50()));
        summary.put("p95_ms", format(latency.p95()));
        summary.put("p99_ms", format(latency.p99()));
        summary.put("non2xx", run.tally().non2xx().values().stream().mapToLong(Long::longValue).sum());
        summary.put("service_cpu_pct", format(run.cpu().service()));
        summary.put("mongo_cpu_pct", format(run.cpu().mongoServer()));
        summary.put("postgres_cpu_pct", format(run.cpu().postgres()));
        summary.put("loadgen_cpu_pct", format(run.cpu().loadGenerator()));
        summary.put("other_cpu_pct", format(run.cpu().other()));
        summary.put("peak_rss_mb", format(peakRssMb));
        summary.put("verification", verified() ? "OK" : "FAILED");
        summary.put("stream_exhausted", run.exhausted());
        summary.put("measure_start_epoch_ms", run.measureStartEpochMs());
        summary.put("measure_end_epoch_ms", run.measureEndEpochMs());
        Files.writeString(Path.of(file), summary.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private String userBodySizes() {
        int[] sizes = new int[stream.length()];
        int count = 0;
        for (int i = 0; i < stream.length(); i++) {
            Delivery delivery = stream.entry(i);
            if (!stream.isDuplicate(i) && delivery.type().startsWith("user.") && delivery.effect().deletedAt() == null) {
                sizes[count++] = delivery.body().length;
            }
        }
        if (count == 0) {
            return "none";
        }
        Arrays.sort(sizes, 0, count);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f KB (min / median / max)", sizes[0] / 1024.0,
                sizes[count / 2] / 1024.0, sizes[count - 1] / 1024.0);
    }

    private static String busiestThreads(CpuSnapshot.CpuUsage cpu) {
        return cpu.serviceThreads().entrySet().stream()
                .filter(entry -> entry.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(BUSIEST_THREADS)
                .map(entry -> String.format(Locale.ROOT, "%s %.0f", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String describe(Map<Integer, Long> statuses) {
        return statuses.isEmpty() ? "none" : statuses.toString();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}

package dev.clerksync.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's CPU time went, from the execution samples of a JFR recording, limited to the
 * measured window: by library (JDK time charged to the library that called into the JDK), by
 * method (self time), and by clerk-sync step or Camel component (time inside it, callees included).
 * Adds GC pauses and the allocation rate, since allocation is often what a profile of a Java
 * service points at.
 */
final class JfrSummary {

    private static final Map<String, String> LIBRARIES = libraries();

    private final Instant from;
    private final Instant to;
    private long samples;
    private final Map<String, Long> byLibrary = new HashMap<>();
    private final Map<String, Long> byMethod = new HashMap<>();
    private final Map<String, Long> bySteps = new HashMap<>();
    private final Map<String, Long> allocationByLibrary = new HashMap<>();
    private long allocatedBytes;
    private long gcPauseNanos;
    private long gcCount;

    private JfrSummary(Instant from, Instant to) {
        this.from = from;
        this.to = to;
    }

    static int run(Args args) throws IOException {
        Path file = Path.of(args.positional(0, "FILE"));
        JfrSummary summary = new JfrSummary(Instant.ofEpochMilli(args.longValue("from", 0)),
                Instant.ofEpochMilli(args.longValue("to", Long.MAX_VALUE / 2)));
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                summary.add(recording.readEvent());
            }
        }
        summary.print(args.intValue("top", 15));
        return 0;
    }

    private void add(RecordedEvent event) {
        if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
            return;
        }
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> addSample(event.getStackTrace().getFrames());
            case "jdk.GarbageCollection" -> {
                gcCount++;
                gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
            }
            case "jdk.ObjectAllocationSample" -> {
                long weight = event.getLong("weight");
                allocatedBytes += weight;
                List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
                allocationByLibrary.merge(library(frames), weight, Long::sum);
            }
            default -> {
            }
        }
    }

    private void addSample(List<RecordedFrame> frames) {
        if (frames.isEmpty()) {
            return;
        }
        samples++;
        byLibrary.merge(library(frames), 1L, Long::sum);
        byMethod.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
        Set<String> steps = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("dev.clerksync.") || type.matches("org\\.apache\\.camel\\.component\\..*(Producer|Consumer)")) {
                steps.add(name(frame.getMethod()));
            }
        }
        steps.forEach(step -> bySteps.merge(step, 1L, Long::sum));
    }

    /** The library of the innermost frame outside the JDK: JDK code is charged to its caller. */
    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (!isJdk(type)) {
                return LIBRARIES.entrySet().stream()
                        .filter(entry -> type.startsWith(entry.getKey()))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElse(type.replaceAll("^((?:[^.]+\\.){2}[^.]+).*", "$1"));
            }
        }
        return "JDK only (no library frame)";
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("javax.") || type.startsWith("jdk.")
                || type.startsWith("sun.") || type.startsWith("com.sun.");
    }

    private static String name(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private void print(int top) {
        System.out.printf(Locale.ROOT, "JFR profile: %d CPU samples in the measured window%n", samples);
        printTable("CPU by library (JDK time charged to its caller)", byLibrary, samples, top);
        printTable("CPU by method (self time)", byMethod, samples, top);
        printTable("CPU inside clerk-sync steps and Camel components (callees included)", bySteps, samples, top);
        double seconds = (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
        System.out.printf(Locale.ROOT, "%nGC: %d collections, %.0f ms of pauses; allocation about %.0f MB/s%n",
                gcCount, gcPauseNanos / 1e6, allocatedBytes / 1e6 / seconds);
        printTable("Allocation by library (sampled bytes)", allocationByLibrary, allocatedBytes, top);
    }

    private static void printTable(String title, Map<String, Long> counts, long total, int top) {
        System.out.printf(Locale.ROOT, "%n%s%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(entry -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n",
                        100.0 * entry.getValue() / Math.max(1, total), entry.getKey()));
    }

    private static Map<String, String> libraries() {
        Map<String, String> libraries = new HashMap<>();
        libraries.put("com.fasterxml.jackson", "Jackson (JSON)");
        libraries.put("org.postgresql", "PostgreSQL JDBC driver");
        libraries.put("com.zaxxer.hikari", "HikariCP");
        libraries.put("org.springframework", "Spring JDBC (camel-sql)");
        libraries.put("com.mongodb", "MongoDB driver");
        libraries.put("org.bson", "MongoDB driver (BSON)");
        libraries.put("io.netty", "Netty");
        libraries.put("io.vertx", "Vert.x (HTTP server)");
        libraries.put("org.apache.camel", "Camel");
        libraries.put("ch.qos.logback", "Logback (logging)");
        libraries.put("org.slf4j", "SLF4J (logging)");
        libraries.put("io.micrometer", "Micrometer (metrics)");
        libraries.put("com.svix", "svix (signature)");
        libraries.put("dev.clerksync", "clerk-sync");
        libraries.put("org.flywaydb", "Flyway");
        return libraries;
    }
}

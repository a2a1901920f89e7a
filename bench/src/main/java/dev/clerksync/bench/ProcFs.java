package dev.clerksync.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and memory of processes, read from Linux's /proc: what a process costs, measured from
 * outside it. CPU times are in clock ticks of 1/100 s (USER_HZ).
 */
final class ProcFs {

    static final int TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** utime + stime of the process, all its threads; 0 when it is gone. */
    static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null ? 0 : ticksOf(stat);
    }

    /** utime + stime of a /proc stat line. */
    private static long ticksOf(String stat) {
        // The command name in parentheses may hold spaces: count fields after its closing one.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU ticks of a process's threads, summed by thread name with digits replaced by {@code #}
     * (e.g. {@code C2 CompilerThre}, {@code vert.x-eventloo}): which kind of work a JVM spends on.
     * Linux keeps the first 15 characters of a thread's name.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads) {
                String name = read(thread.resolve("comm"));
                String stat = read(thread.resolve("stat"));
                if (name != null && stat != null) {
                    ticks.merge(name.replaceAll("[0-9]+", "#"), ticksOf(stat), Long::sum);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }

    /** CPU ticks of every process named {@code postgres} (the server and its backends), by pid. */
    static Map<Long, Long> postgresTicks() {
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                if ("postgres".equals(read(process.resolve("comm")))) {
                    long pid = Long.parseLong(process.getFileName().toString());
                    ticks.put(pid, cpuTicks(pid));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ticks;
    }

    /** Busy CPU ticks of the whole machine, all cores together: user, nice, system, irq, softirq. */
    static long machineBusyTicks() {
        String[] fields = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < fields.length && i <= 7; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy;
    }

    /** A memory figure of /proc/PID/status in MB, e.g. VmHWM (peak resident set) or VmRSS. */
    static double memoryMb(long pid, String field) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status == null) {
            return Double.NaN;
        }
        return status.lines()
                .filter(line -> line.startsWith(field + ":"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow() / 1024.0;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }
}

package dev.clerksync.bench;

import java.util.Map;
import java.util.TreeMap;

/** CPU ticks of the processes a run involves, taken at one moment; two of them give the usage. */
record CpuSnapshot(long nanoTime, long service, long mongoServer, long loadGenerator, Map<Long, Long> postgres,
                   long machine,
                   Map<String, Long> serviceThreads) {

    /** Ticks of these processes now; a pid of 0 is a process the run does not have. */
    static CpuSnapshot take(long servicePid, long mongoPid) {
        return new CpuSnapshot(System.nanoTime(),
                servicePid > 0 ? ProcFs.cpuTicks(servicePid) : 0,
                mongoPid > 0 ? ProcFs.cpuTicks(mongoPid) : 0,
                ProcFs.cpuTicks(ProcessHandle.current().pid()),
                ProcFs.postgresTicks(),
                ProcFs.machineBusyTicks(),
                servicePid > 0 ? ProcFs.threadTicks(servicePid) : Map.of());
    }

    /** CPU use between the two snapshots, in % of one core. */
    CpuUsage usageUntil(CpuSnapshot end) {
        double seconds = (end.nanoTime - nanoTime) / 1e9;
        Map<String, Double> threads = new TreeMap<>();
        end.serviceThreads.forEach((name, ticks) ->
                threads.put(name, percent(ticks - serviceThreads.getOrDefault(name, 0L), seconds)));
        return new CpuUsage(
                percent(end.service - service, seconds),
                percent(end.mongoServer - mongoServer, seconds),
                percent(end.loadGenerator - loadGenerator, seconds),
                percent(ticksSince(postgres, end.postgres), seconds),
                percent(end.machine - machine, seconds),
                threads);
    }

    /**
     * Ticks spent between the snapshots by processes alive at the end: a backend that started in
     * between counts whole, one that ended in between is lost (its ticks leave /proc with it).
     */
    private static long ticksSince(Map<Long, Long> start, Map<Long, Long> end) {
        long ticks = 0;
        for (Map.Entry<Long, Long> process : end.entrySet()) {
            ticks += Math.max(0, process.getValue() - start.getOrDefault(process.getKey(), 0L));
        }
        return ticks;
    }

    private static double percent(long ticks, double seconds) {
        return 100.0 * ticks / ProcFs.TICKS_PER_SECOND / seconds;
    }

    /**
     * In % of one core; {@code other} is what the machine spent outside the run (other users' work,
     * and kernel work not charged to any process). {@code serviceThreads} splits the service's share
     * by thread name.
     */
    record CpuUsage(double service, double mongoServer, double loadGenerator, double postgres, double machine,
                    Map<String, Double> serviceThreads) {

        double other() {
            return Math.max(0, machine - service - mongoServer - loadGenerator - postgres);
        }
    }
}

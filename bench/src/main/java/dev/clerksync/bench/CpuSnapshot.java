package dev.clerksync.bench;

/** CPU ticks of the processes a run involves, taken at one moment; two of them give the usage. */
record CpuSnapshot(long nanoTime, long service, long mongoServer, long loadGenerator, long postgres, long machine) {

    /** Ticks of these processes now; a pid of 0 is a process the run does not have. */
    static CpuSnapshot take(long servicePid, long mongoPid) {
        return new CpuSnapshot(System.nanoTime(),
                servicePid > 0 ? ProcFs.cpuTicks(servicePid) : 0,
                mongoPid > 0 ? ProcFs.cpuTicks(mongoPid) : 0,
                ProcFs.cpuTicks(ProcessHandle.current().pid()),
                ProcFs.postgresTicks(),
                ProcFs.machineBusyTicks());
    }

    /** CPU use between the two snapshots, in % of one core. */
    CpuUsage usageUntil(CpuSnapshot end) {
        double seconds = (end.nanoTime - nanoTime) / 1e9;
        return new CpuUsage(
                percent(end.service - service, seconds),
                percent(end.mongoServer - mongoServer, seconds),
                percent(end.loadGenerator - loadGenerator, seconds),
                percent(end.postgres - postgres, seconds),
                percent(end.machine - machine, seconds));
    }

    private static double percent(long ticks, double seconds) {
        return 100.0 * ticks / ProcFs.TICKS_PER_SECOND / seconds;
    }

    /** In % of one core; {@code other} is what the machine spent outside the run (other users' work). */
    record CpuUsage(double service, double mongoServer, double loadGenerator, double postgres, double machine) {

        double other() {
            return Math.max(0, machine - service - mongoServer - loadGenerator - postgres);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.io.IOException;
import java.nio.file.Files;

/**
 * What is sampled at the start and end of the measured interval besides the mode's own
 * counters: wall time, this process's CPU, the server's CPU and the server's GC pauses.
 */
final class Measurement {
    private final LoadOptions options;
    private long wallStart;
    private long selfCpuStart;
    private long serverCpuStart;
    private long gcStart;
    private long wallNanos;
    private long selfCpuNanos;
    private long serverCpuNanos = -1;
    private long gcPauses = -1;

    Measurement(LoadOptions options) {
        this.options = options;
    }

    void start() {
        wallStart = System.nanoTime();
        selfCpuStart = CpuClock.selfNanos();
        serverCpuStart = CpuClock.processNanos(options.serverPid, options.clockTicks);
        gcStart = gcPauses();
    }

    void stop() {
        wallNanos = System.nanoTime() - wallStart;
        selfCpuNanos = CpuClock.selfNanos() - selfCpuStart;
        long serverCpu = CpuClock.processNanos(options.serverPid, options.clockTicks);
        serverCpuNanos = serverCpuStart >= 0 && serverCpu >= 0 ? serverCpu - serverCpuStart : -1;
        long gc = gcPauses();
        gcPauses = gcStart >= 0 && gc >= 0 ? gc - gcStart : -1;
    }

    long wallNanos() {
        return wallNanos;
    }

    /** Adds the CPU shares (percent of one core) and the server's GC pauses. */
    void report(Result r) {
        r.put("seconds", wallNanos / 1e9);
        r.put("client_cpu_pct", 100.0 * selfCpuNanos / wallNanos);
        r.put("server_cpu_pct", serverCpuNanos < 0 ? -1 : 100.0 * serverCpuNanos / wallNanos);
        r.put("server_gc_pauses", gcPauses);
    }

    /** @return the number of GC pause lines in the server's {@code -Xlog:gc} file, or -1 */
    private long gcPauses() {
        if (options.gcLog == null) {
            return -1;
        }
        try (var lines = Files.lines(options.gcLog)) {
            return lines.filter(l -> l.contains(" Pause ")).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of this process and of another one (the server), for "who was the bottleneck". */
final class CpuClock {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CpuClock() {}

    /** @return CPU time of this JVM (all threads: I/O, JIT, GC), in nanoseconds */
    static long selfNanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * @param pid a process id, or 0
     * @param clockTicksPerSecond the kernel's USER_HZ ({@code getconf CLK_TCK})
     * @return its user + system CPU time in nanoseconds from {@code /proc/PID/stat}, or -1
     */
    static long processNanos(long pid, long clockTicksPerSecond) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the parenthesised command name, which may itself hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks * 1_000_000_000L / clockTicksPerSecond;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

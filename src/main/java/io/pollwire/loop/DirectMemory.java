// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import java.lang.management.ManagementFactory;

/**
 * The JVM's limit on direct buffer memory, which bounds everything pollwire allocates on behalf
 * of peers, and the default server-wide budget derived from it.
 *
 * <p>The JDK keeps the real figure in {@code jdk.internal.misc.VM.maxDirectMemory()}, which is
 * not exported. The same value is rebuilt from public sources: the HotSpot option
 * {@code MaxDirectMemorySize} (through {@code HotSpotDiagnosticMXBean}, which sees every way it
 * can be set: command line, {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}); when it is 0
 * (not set) or not readable (another VM), the JDK's own default, {@link Runtime#maxMemory()}
 * (the heap limit, e.g. {@code -Xmx64m} gives about 64 MiB of direct memory). On the module
 * path the option is read only when {@code jdk.management} is resolved (the module requires it
 * {@code static}: {@code --add-modules jdk.management}); on the class path it always is.
 */
public final class DirectMemory {
    private DirectMemory() {}

    /** @return the direct-memory limit in bytes, as the JDK computes it */
    public static long limit() {
        long option = maxDirectMemorySizeOption();
        return option > 0 ? option : Runtime.getRuntime().maxMemory();
    }

    /**
     * @return half of {@link #limit()}: the other half is left to the loops' own buffers, the
     *     chunk pools, the application and the garbage the collector has not freed yet
     */
    public static long defaultBudget() {
        return Math.max(1, limit() / 2);
    }

    /** @return {@code -XX:MaxDirectMemorySize} in bytes, or 0 when unset or unreadable */
    static long maxDirectMemorySizeOption() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hotspot =
                    ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hotspot == null ? 0 : Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot, or the management modules are absent: use the JDK default
        }
    }
}

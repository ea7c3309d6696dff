// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.observe.Loggers;
import java.lang.System.Logger.Level;

/** The loop package's logger ({@code io.pollwire.loop}), and logging that cannot kill a loop. */
final class LoopLog {
    static final System.Logger LOG = Loggers.LOOP;

    private LoopLog() {}

    /**
     * Logging can itself fail when the process is out of descriptors (a log handler may need to
     * open a file, the JDK may need to load time-zone data): a loop must never die of that.
     */
    static void safely(Level level, String message, Throwable error) {
        try {
            LOG.log(level, message, error);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            // nothing else to do: the condition persists and will be logged when it can be
        }
    }
}

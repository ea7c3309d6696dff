// SPDX-License-Identifier: Apache-2.0
package io.pollwire.observe;

/**
 * pollwire's loggers, one per component, all children of {@value #ROOT} so that one level set
 * there (e.g. {@code io.pollwire.level = FINE} in a {@code java.util.logging} configuration, or
 * a {@code <logger name="io.pollwire">} in Logback) reaches all of them. The only place their
 * names are written.
 *
 * <p>Everything goes through {@link System.Logger}: without configuration that is
 * {@code java.util.logging}; a {@code System.LoggerFinder} bridge (SLF4J's
 * {@code slf4j-jdk-platform-logging}, Log4j's {@code log4j-jpl}) routes it elsewhere. DEBUG
 * lines are built only after {@code isLoggable(DEBUG)}, so they cost a level check when off.
 */
public final class Loggers {
    /** The parent of every pollwire logger. */
    public static final String ROOT = "io.pollwire";

    /**
     * Event loops, connections, accepting, the memory budget: failures at WARNING/ERROR, the
     * connection lifecycle (opened, closed with its reason, drain decisions, accept back-off)
     * at DEBUG.
     */
    public static final System.Logger LOOP = System.getLogger(ROOT + ".loop");

    /** The shutdown coordinator and {@code ShutdownSignals}: a server's report at INFO, a client's at DEBUG. */
    public static final System.Logger SHUTDOWN = System.getLogger(ROOT + ".shutdown");

    /** The native loader, {@code Transport.AUTO}'s choice (INFO, once) and the pollers. */
    public static final System.Logger TRANSPORT = System.getLogger(ROOT + ".transport");

    /** Handler exceptions logged by the default {@code onError} (WARNING, rate-limited). */
    public static final System.Logger HANDLER = System.getLogger(ROOT + ".handler");

    private Loggers() {}
}

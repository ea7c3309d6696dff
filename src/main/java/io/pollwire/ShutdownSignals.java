// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.observe.Loggers;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Turns {@code SIGTERM}, {@code SIGINT} and {@code SIGHUP} into a graceful drain of a server, as
 * the {@code echo} and {@code http} commands do: the first signal starts
 * {@link Server#shutdown(Duration)}, a second one forces it ({@link Server#shutdownNow()}).
 * {@code SIGQUIT} is left to the JVM, which prints a thread dump.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     Server server = Server.builder().bind("0.0.0.0", 7000).handler(handler).start();
 *     ShutdownSignals signals = ShutdownSignals.install(server, Duration.ofSeconds(10));
 *     System.exit(signals.awaitExitStatus());   // 0 clean, 3 forced, 4 a loop failed
 * }
 * }</pre>
 *
 * <p>Why not {@code Runtime.addShutdownHook(server::close)}: by the time shutdown hooks run, the
 * JVM is also running the hook that closes {@code java.util.logging}'s handlers, so a report
 * logged from the drain may never appear, and the exit status is fixed already. With these
 * handlers the JVM does not start exiting on the signal: the drain runs, the report is logged
 * while logging still works, and the application picks the exit status. (When the drain runs
 * during the JVM's own shutdown anyway, pollwire also prints its report to {@code System.err}.)
 *
 * <p>Signals are installed through {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 * reached reflectively; where it is missing or a signal is reserved by the JVM (e.g. with
 * {@code -Xrs}), {@link #unavailable()} says which, and those signals end the JVM as usual.
 */
public final class ShutdownSignals {
    /** Exit status: every connection drained. */
    public static final int EXIT_CLEAN = 0;
    /** Exit status: connections had to be forced or deferred replies were abandoned. */
    public static final int EXIT_FORCED = 3;
    /** Exit status: an event loop died of an unexpected error and took the server down. */
    public static final int EXIT_LOOP_FAILED = 4;

    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};

    private final Server server;
    private final Consumer<String> notices;
    private final AtomicInteger received = new AtomicInteger();
    private final List<String> unavailable;
    /** The signal that forced the shutdown (the second one), or null. */
    private volatile String forcedBy;

    private ShutdownSignals(Server server, Duration drainTimeout, Consumer<String> notices) {
        this.server = server;
        this.notices = notices;
        // the report is one of our notices, instead of the server's own log line: printed once
        server.reportTo(report -> notices.accept(describe(report)));
        this.unavailable = handle(SIGNALS, name -> onSignal(name, drainTimeout));
    }

    /** @return the report as a notice, saying when a second signal forced it */
    private String describe(ShutdownReport report) {
        String by = forcedBy;
        return "pollwire " + report + (by != null ? "; forced by a second signal (SIG" + by + ")" : "");
    }

    /**
     * Installs the handlers, with notices logged through {@code System.Logger} ("io.pollwire.shutdown",
     * INFO). Call it before announcing that the server is ready: a supervisor that signals as
     * soon as it sees the announcement must get a drain, not the JVM's default exit.
     *
     * @param server the server to drain
     * @param drainTimeout how long connections may drain before they are forced
     * @return the installed handlers; see {@link #unavailable()}
     */
    public static ShutdownSignals install(Server server, Duration drainTimeout) {
        System.Logger log = Loggers.SHUTDOWN;
        return install(server, drainTimeout, message -> log.log(Level.INFO, message));
    }

    /**
     * As {@link #install(Server, Duration)}, with notices (the signal received, the report) sent
     * to {@code notices}, e.g. {@code System.err::println}. Called on a JVM signal thread or the
     * server's shutdown thread. The report is sent there once, instead of the server's own
     * INFO log line (so it is not printed twice), before {@link #awaitExitStatus()} returns.
     *
     * @param server the server to drain
     * @param drainTimeout how long connections may drain before they are forced
     * @param notices receives one line per event; must not block for long
     * @return the installed handlers; see {@link #unavailable()}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code drainTimeout} is negative
     */
    public static ShutdownSignals install(Server server, Duration drainTimeout, Consumer<String> notices) {
        Objects.requireNonNull(server, "server");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("negative drain timeout: " + drainTimeout);
        }
        return new ShutdownSignals(server, drainTimeout, Objects.requireNonNull(notices, "notices"));
    }

    /** @return signals that could not be handled, each with the reason (empty when all were) */
    public List<String> unavailable() {
        return unavailable;
    }

    /** @return how many of the handled signals have arrived */
    public int signalsReceived() {
        return received.get();
    }

    /**
     * Waits until the server has shut down (by a signal or otherwise) and maps its report, which
     * the notices have received by then, to an exit status.
     *
     * @return {@link #EXIT_CLEAN}, {@link #EXIT_FORCED} or {@link #EXIT_LOOP_FAILED}
     * @throws InterruptedException if interrupted while waiting (the server keeps running)
     */
    public int awaitExitStatus() throws InterruptedException {
        return exitStatus(server.awaitTermination());
    }

    /**
     * @param report a shutdown report
     * @return 4 when a loop failed (a crash: let a supervisor restart the service), 3 when
     *     connections were forced or replies abandoned, else 0
     */
    public static int exitStatus(ShutdownReport report) {
        if (report.loopFailure() != null) {
            return EXIT_LOOP_FAILED;
        }
        return report.isClean() ? EXIT_CLEAN : EXIT_FORCED;
    }

    private void onSignal(String name, Duration drainTimeout) {
        if (received.incrementAndGet() == 1) {
            notices.accept("pollwire: SIG" + name + ": shutting down gracefully (drain timeout "
                    + drainTimeout.toMillis() + " ms; signal again to force)");
            server.shutdown(drainTimeout);
        } else {
            forcedBy = name;
            notices.accept("pollwire: SIG" + name + " again: forcing shutdown");
            server.shutdownNow();
        }
    }

    /**
     * @param names signal names without "SIG"
     * @param action called with the signal name, on a JVM signal thread
     * @return the signals that could not be handled (with the reason)
     */
    private static List<String> handle(String[] names, Consumer<String> action) {
        List<String> failed = new ArrayList<>();
        Class<?> signalClass;
        Class<?> handlerClass;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
        } catch (ClassNotFoundException e) {
            failed.add("all (sun.misc.Signal unavailable)");
            return List.copyOf(failed);
        }
        InvocationHandler ih = (Object proxy, Method m, Object[] args) -> {
            switch (m.getName()) {
                case "handle":
                    action.accept((String) signalClass.getMethod("getName").invoke(args[0]));
                    return null;
                case "toString":
                    return "pollwire-signal-handler";
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    return proxy == args[0];
            }
        };
        Object handler = Proxy.newProxyInstance(ShutdownSignals.class.getClassLoader(),
                new Class<?>[] {handlerClass}, ih);
        for (String name : names) {
            try {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            } catch (ReflectiveOperationException | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failed.add(name + " (" + cause.getMessage() + ")");
            }
        }
        return List.copyOf(failed);
    }
}

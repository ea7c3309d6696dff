// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.ShutdownSignals;
import io.pollwire.Transport;
import io.pollwire.transport.loader.NativeLibrary;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * What every server command of the CLI ({@code echo}, {@code http}, {@code redis},
 * {@code proxy}) does, written once: parse the options ({@code --help} prints the usage, a mistake
 * is one line and exit 2), read the listening options they share, start the server (a failure is
 * one line and exit 1), turn TERM, INT and HUP into a drain, print the "listening" line, then wait
 * and map the shutdown report to the exit status. A command supplies only what is its own: its
 * usage text, its options, the settings they give the server and the end of its "listening" line.
 *
 * <p>The options are read in this order, so the first mistake is the one reported: those the
 * command cannot run without ({@link #readRequired}), {@code --transport}, {@code --host},
 * {@code --port}, {@code --loops}, the command's others ({@link #readOptions}),
 * {@code --idle-timeout}, {@code --shutdown-timeout}, {@code --reuse-port}; then {@code --unix}
 * is checked against them.
 * One instance serves one run.
 */
abstract class ServerCommand {
    /** Exit status when the drain timed out and connections had to be forced. */
    static final int EXIT_FORCED = ShutdownSignals.EXIT_FORCED;
    /** Exit status when an event loop died of an unexpected error and took the server down. */
    static final int EXIT_LOOP_FAILED = ShutdownSignals.EXIT_LOOP_FAILED;
    /** Exit status when the server could not start (address in use, transport missing). */
    static final int EXIT_START_FAILED = 1;
    /** Default of {@code --loops} for the commands that use every core. */
    static final int ALL_PROCESSORS = Runtime.getRuntime().availableProcessors();

    /** The shared options a command may take besides host, port, transport, loops and timeouts. */
    enum Shared { UNIX, REUSE_PORT }

    private static final String[] LISTEN_OPTIONS = {"host", "port", "transport", "loops", "idle-timeout",
        "shutdown-timeout"};

    private final String name;
    private final String defaultHost;
    private final int defaultPort;
    private final int defaultLoops;
    private final Duration defaultIdleTimeout;
    private final boolean unix;
    private final boolean reusePort;

    /**
     * @param name the command, e.g. {@code "echo"}: in messages and the loop threads' names
     * @param shared which of {@link Shared} it takes too
     */
    ServerCommand(String name, String defaultHost, int defaultPort, int defaultLoops, Duration defaultIdleTimeout,
            Shared... shared) {
        this.name = name;
        this.defaultHost = defaultHost;
        this.defaultPort = defaultPort;
        this.defaultLoops = defaultLoops;
        this.defaultIdleTimeout = defaultIdleTimeout;
        this.unix = Arrays.asList(shared).contains(Shared.UNIX);
        this.reusePort = Arrays.asList(shared).contains(Shared.REUSE_PORT);
    }

    /** Prints the whole {@code --help} text (the shared lines through {@link #listenUsage} etc.). */
    abstract void usage(PrintStream out);

    /** @return the names of the command's own options, without {@code --} */
    abstract String[] ownOptions();

    /** Reads the options the command cannot run without, first: their absence is said before any other mistake. */
    void readRequired(Options o) throws Options.UsageException {}

    /** Reads the command's other options; called between {@code --loops} and {@code --idle-timeout}. */
    abstract void readOptions(Options o) throws Options.UsageException;

    /** Gives the server the command's settings: framing, handler, limits. */
    abstract void configure(Server.Builder builder, int loops);

    /** @return the end of the "listening" line after the loop count, e.g. {@code ", backend unix:/x"} */
    abstract String describe(Server server);

    /** Runs the command: returns its exit status once the server has shut down, or at once on a mistake. */
    final int run(String[] args, PrintStream out, PrintStream err) {
        Server server;
        ShutdownSignals signals;
        try {
            Options o = Options.parse(args, 1, known());
            if (o.help()) {
                usage(out);
                return 0;
            }
            readRequired(o);
            Transport transport = parseTransport(o.string("transport", "auto"));
            String host = o.string("host", defaultHost);
            int port = o.integer("port", defaultPort, 0, 65535);
            int loops = o.integer("loops", defaultLoops, 1, 1024);
            readOptions(o);
            Duration idle = o.duration("idle-timeout", defaultIdleTimeout);
            Duration shutdownTimeout = o.duration("shutdown-timeout", Duration.ofSeconds(10));
            boolean reuse = reusePort && parseBoolean("reuse-port", o.string("reuse-port", "false"));
            if (o.has("unix") && (o.has("host") || o.has("port") || reuse)) {
                throw new Options.UsageException("--unix listens on a path: "
                        + (reusePort ? "--host, --port and --reuse-port" : "--host and --port") + " do not apply");
            }
            try {
                Server.Builder b = Server.builder();
                if (o.has("unix")) {
                    b.bind(UnixDomainSocketAddress.of(o.string("unix", "")));
                } else {
                    b.bind(host, port);
                }
                b.transport(transport)
                        .loops(loops)
                        .idleTimeout(idle)
                        .shutdownTimeout(shutdownTimeout)
                        .reusePort(reuse)
                        .name("pollwire-" + name);
                configure(b, loops);
                server = b.start();
            } catch (IOException | RuntimeException e) {
                err.println("pollwire " + name + ": cannot start: " + e.getMessage());
                return EXIT_START_FAILED;
            }
            signals = handleSignals(server, shutdownTimeout, err);
            out.println("pollwire " + name + " listening on " + format(host, server) + " (transport "
                    + server.transport() + ", " + loops + (loops == 1 ? " loop" : " loops") + describe(server) + ")");
            if (transport == Transport.AUTO && server.transport() == Transport.NIO
                    && NativeLibrary.unavailabilityCause() != null) {
                out.println("native transport unavailable, using NIO: "
                        + NativeLibrary.describe(NativeLibrary.unavailabilityCause()));
            }
            out.flush();
        } catch (Options.UsageException e) {
            return Options.usageError("pollwire " + name, e.getMessage(), err);
        }
        return awaitShutdown(signals, server);
    }

    private String[] known() {
        String[] own = ownOptions();
        String[] known = Arrays.copyOf(LISTEN_OPTIONS, LISTEN_OPTIONS.length + own.length + 2);
        System.arraycopy(own, 0, known, LISTEN_OPTIONS.length, own.length);
        int n = LISTEN_OPTIONS.length + own.length;
        if (unix) {
            known[n++] = "unix";
        }
        if (reusePort) {
            known[n++] = "reuse-port";
        }
        return Arrays.copyOf(known, n);
    }

    /** Prints one option of the usage text: two spaces, the option in 25 columns, the text. */
    static void option(PrintStream out, String option, String text) {
        out.println(String.format(Locale.ROOT, "  %-24s %s", option, text));
    }

    /** Prints the usage lines of {@code --host}, {@code --port}, {@code --unix}, {@code --transport}, {@code --loops}. */
    final void listenUsage(PrintStream out, String loopsText) {
        option(out, "--host ADDR", "address to listen on (default " + defaultHost + ")");
        option(out, "--port N", "port; 0 picks a free one and prints it (default " + defaultPort + ")");
        if (unix) {
            option(out, "--unix PATH", "listen on a Unix domain socket path instead of TCP");
        }
        option(out, "--transport T", "auto|epoll|kqueue|nio (default auto)");
        option(out, "--loops N", loopsText);
    }

    /** Prints the usage lines of {@code --idle-timeout}, {@code --shutdown-timeout} and {@code --reuse-port}. */
    final void drainUsage(PrintStream out, String idleExamples) {
        option(out, "--idle-timeout DURATION", "close silent connections, " + idleExamples);
        option(out, "--shutdown-timeout DUR", "drain time on SIGTERM/SIGINT/SIGHUP (default 10s)");
        if (reusePort) {
            option(out, "--reuse-port BOOL", "one SO_REUSEPORT listener per loop (default false)");
        }
    }

    /** Prints the usage's last line: what each exit status means. */
    static void exitUsage(PrintStream out) {
        out.println("Exit status: 0 all connections drained, " + EXIT_FORCED + " some were forced, "
                + EXIT_START_FAILED + " could not start, 2 bad usage, " + EXIT_LOOP_FAILED + " an event loop failed.");
    }

    /** The address as asked for, with the real port (NIO reports 0.0.0.0 as ::); or the socket path. */
    static String format(String host, Server server) {
        if (server.localAddress() == null) {
            return "unix:" + server.address();
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.localAddress().getPort();
    }

    /**
     * Makes TERM, INT and HUP drain the server (a second one forces it), through the public
     * {@link ShutdownSignals}. Call before printing the "listening" line: a script that signals
     * as soon as it reads the line must get a drain, not the JVM's default exit.
     */
    static ShutdownSignals handleSignals(Server server, Duration shutdownTimeout, PrintStream err) {
        ShutdownSignals signals = ShutdownSignals.install(server, shutdownTimeout, err::println);
        if (!signals.unavailable().isEmpty()) {
            err.println("pollwire: cannot handle signals " + signals.unavailable()
                    + "; they will end the JVM without a drain");
        }
        return signals;
    }

    /** Waits for the server to end, prints the report and maps it to an exit status. */
    static int awaitShutdown(ShutdownSignals signals, Server server) {
        try {
            return signals.awaitExitStatus();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
            return EXIT_FORCED;
        }
    }

    static Transport parseTransport(String v) throws Options.UsageException {
        try {
            return Transport.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("--transport must be auto, epoll, kqueue or nio: " + v);
        }
    }

    static boolean parseBoolean(String name, String v) throws Options.UsageException {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
                return true;
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new Options.UsageException("--" + name + " must be true or false: " + v);
        }
    }
}

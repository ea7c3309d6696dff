package io.pollwire.cli;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.codec.Framing;
import io.pollwire.transport.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code echo}: sends every line back as it arrived. A line cut short by the client closing its
 * side is echoed too (the bytes as sent, without a newline); a line over the limit gets
 * {@code ERR line too long (max N bytes)} and that connection is closed.
 */
final class EchoCommand {
    /** Exit status when the drain timed out and connections had to be forced. */
    static final int EXIT_FORCED = 3;
    /** Exit status when the server could not start (address in use, transport missing). */
    static final int EXIT_START_FAILED = 1;

    private EchoCommand() {}

    /** Echoes frames back without copying them. */
    static final class EchoHandler implements ConnectionHandler {
        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            connection.echo();
        }

        @Override
        public void onPartialFrame(Connection connection, ByteBuffer partial) {
            connection.echo();
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar echo [options]");
        out.println("  --host ADDR              address to listen on (default 0.0.0.0)");
        out.println("  --port N                 port; 0 picks a free one and prints it (default 7000)");
        out.println("  --transport T            auto|epoll|kqueue|nio (default auto)");
        out.println("  --loops N                event loop threads (default: available processors)");
        out.println("  --max-line BYTES         longest line accepted, e.g. 65536 or 64k (default 64k)");
        out.println("  --max-connections N      connections open at once, 0 = no limit (default 0)");
        out.println("  --idle-timeout DURATION  close silent connections, e.g. 5m, 30s, off (default 5m)");
        out.println("  --shutdown-timeout DUR   drain time on SIGTERM/SIGINT/SIGHUP (default 10s)");
        out.println("  --reuse-port BOOL        one SO_REUSEPORT listener per loop (default false)");
        out.println("Signals: TERM, INT or HUP start a graceful shutdown; a second one forces it.");
        out.println("Exit status: 0 all connections drained, " + EXIT_FORCED + " some were forced, "
                + EXIT_START_FAILED + " could not start, 2 bad usage.");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Server server;
        Duration shutdownTimeout;
        try {
            Options o = Options.parse(args, 1, "host", "port", "transport", "loops", "max-line",
                    "max-connections", "idle-timeout", "shutdown-timeout", "reuse-port");
            if (o.help()) {
                usage(out);
                return 0;
            }
            Transport transport = parseTransport(o.string("transport", "auto"));
            String host = o.string("host", "0.0.0.0");
            int port = o.integer("port", 7000, 0, 65535);
            int loops = o.integer("loops", Runtime.getRuntime().availableProcessors(), 1, 1024);
            int maxLine = o.integer("max-line", Framing.DEFAULT_MAX_LINE, 1, 64 * 1024 * 1024);
            int maxConnections = o.integer("max-connections", 0, 0, Integer.MAX_VALUE);
            Duration idle = o.duration("idle-timeout", Duration.ofMinutes(5));
            shutdownTimeout = o.duration("shutdown-timeout", Duration.ofSeconds(10));
            boolean reusePort = parseBoolean("reuse-port", o.string("reuse-port", "false"));
            try {
                server = Server.builder()
                        .transport(transport)
                        .bind(host, port)
                        .loops(loops)
                        .framing(Framing.lines(maxLine))
                        .maxConnections(maxConnections)
                        .idleTimeout(idle)
                        .shutdownTimeout(shutdownTimeout)
                        .reusePort(reusePort)
                        .name("pollwire-echo")
                        .handler(new EchoHandler())
                        .start();
            } catch (IOException | RuntimeException e) {
                err.println("pollwire echo: cannot start: " + e.getMessage());
                return EXIT_START_FAILED;
            }
            installSignalHandlers(server, shutdownTimeout, err); // before anyone can know we listen
            out.println("pollwire echo listening on " + format(host, server) + " (transport " + server.transport()
                    + ", " + loops + (loops == 1 ? " loop" : " loops") + ", max line " + maxLine + " bytes)");
            if (transport == Transport.AUTO && server.transport() == Transport.NIO
                    && io.pollwire.transport.NativeLibrary.unavailabilityCause() != null) {
                out.println("native transport unavailable, using NIO: "
                        + io.pollwire.transport.NativeLibrary.describe(io.pollwire.transport.NativeLibrary.unavailabilityCause()));
            }
            out.flush();
        } catch (Options.UsageException e) {
            err.println("pollwire echo: " + e.getMessage());
            usage(err);
            return 2;
        }
        return serveUntilSignalled(server, err);
    }

    /** The address as asked for, with the real port (NIO reports 0.0.0.0 as ::). */
    static String format(String host, Server server) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.localAddress().getPort();
    }

    /** TERM, INT and HUP start the graceful shutdown; a second one forces it. */
    static void installSignalHandlers(Server server, Duration shutdownTimeout, PrintStream err) {
        AtomicInteger signals = new AtomicInteger();
        List<String> failed = Signals.handle(new String[] {"TERM", "INT", "HUP"}, name -> {
            if (signals.incrementAndGet() == 1) {
                err.println("pollwire: SIG" + name + ": shutting down gracefully (drain timeout "
                        + shutdownTimeout.toMillis() + " ms; signal again to force)");
                server.shutdown(shutdownTimeout);
            } else {
                err.println("pollwire: SIG" + name + " again: forcing shutdown");
                server.shutdownNow();
            }
        });
        if (!failed.isEmpty()) {
            err.println("pollwire: cannot handle signals " + failed + "; they will end the JVM without a drain");
        }
    }

    /** Waits until the server has shut down, prints the report and maps it to an exit status. */
    static int serveUntilSignalled(Server server, PrintStream err) {
        try {
            ShutdownReport report = server.awaitTermination();
            err.println("pollwire " + report);
            return report.isClean() ? 0 : EXIT_FORCED;
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

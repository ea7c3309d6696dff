// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.ShutdownSignals;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import io.pollwire.example.proxy.ProxyHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;

/**
 * {@code proxy}: forwards every connection to one backend, bytes both ways
 * ({@link io.pollwire.example.proxy}), e.g. {@code proxy --port 8000 --backend 127.0.0.1:6379}.
 */
final class ProxyCommand {
    private ProxyCommand() {}

    static void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar proxy --backend HOST:PORT | --backend-unix PATH [options]");
        out.println("TCP proxy: each connection is forwarded to the backend, bytes both ways, with backpressure,");
        out.println("half-close and reset passed on, and a graceful drain on SIGTERM.");
        out.println("  --backend HOST:PORT      where to connect (the host is resolved off the event loops)");
        out.println("  --backend-unix PATH      connect to a Unix domain socket instead");
        out.println("  --host ADDR              address to listen on (default 0.0.0.0)");
        out.println("  --port N                 port; 0 picks a free one and prints it (default 8000)");
        out.println("  --unix PATH              listen on a Unix domain socket path instead of TCP");
        out.println("  --transport T            auto|epoll|kqueue|nio (default auto)");
        out.println("  --loops N                event loop threads (default: available processors)");
        out.println("  --connect-timeout DUR    backend connect timeout (default 10s)");
        out.println("  --idle-timeout DURATION  close silent connections, e.g. 60s, off (default off)");
        out.println("  --shutdown-timeout DUR   drain time on SIGTERM/SIGINT/SIGHUP (default 10s)");
        out.println("Exit status: 0 all connections drained, " + EchoCommand.EXIT_FORCED + " some were forced, "
                + EchoCommand.EXIT_START_FAILED + " could not start, 2 bad usage, " + EchoCommand.EXIT_LOOP_FAILED
                + " an event loop failed.");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Server server;
        ShutdownSignals signals;
        try {
            Options o = Options.parse(args, 1, "backend", "backend-unix", "host", "port", "unix", "transport",
                    "loops", "connect-timeout", "idle-timeout", "shutdown-timeout");
            if (o.help()) {
                usage(out);
                return 0;
            }
            SocketAddress backend = backend(o);
            Transport transport = EchoCommand.parseTransport(o.string("transport", "auto"));
            String host = o.string("host", "0.0.0.0");
            int port = o.integer("port", 8000, 0, 65535);
            int loops = o.integer("loops", Runtime.getRuntime().availableProcessors(), 1, 1024);
            Duration connectTimeout = o.duration("connect-timeout", Duration.ofSeconds(10));
            Duration idle = o.duration("idle-timeout", Duration.ZERO);
            Duration shutdownTimeout = o.duration("shutdown-timeout", Duration.ofSeconds(10));
            if (o.has("unix") && (o.has("host") || o.has("port"))) {
                throw new Options.UsageException("--unix listens on a path: --host and --port do not apply");
            }
            try {
                Server.Builder b = Server.builder();
                if (o.has("unix")) {
                    b.bind(UnixDomainSocketAddress.of(o.string("unix", "")));
                } else {
                    b.bind(host, port);
                }
                server = b.transport(transport)
                        .loops(loops)
                        .framing(Framing.raw())
                        .allowHalfClosure(true)
                        .connectTimeout(connectTimeout)
                        .idleTimeout(idle)
                        .shutdownTimeout(shutdownTimeout)
                        .name("pollwire-proxy")
                        .handler(new ProxyHandler(backend))
                        .start();
            } catch (IOException | RuntimeException e) {
                err.println("pollwire proxy: cannot start: " + e.getMessage());
                return EchoCommand.EXIT_START_FAILED;
            }
            signals = EchoCommand.handleSignals(server, shutdownTimeout, err);
            out.println("pollwire proxy listening on " + EchoCommand.format(host, server) + " (transport "
                    + server.transport() + ", " + loops + (loops == 1 ? " loop" : " loops") + ", backend "
                    + ProxyHandler.describe(backend) + ")");
            out.flush();
        } catch (Options.UsageException e) {
            return Options.usageError("pollwire proxy", e.getMessage(), err);
        }
        return EchoCommand.awaitShutdown(signals, server);
    }

    private static SocketAddress backend(Options o) throws Options.UsageException {
        if (o.has("backend") == o.has("backend-unix")) {
            throw new Options.UsageException("give exactly one of --backend HOST:PORT and --backend-unix PATH");
        }
        if (o.has("backend-unix")) {
            return UnixDomainSocketAddress.of(o.string("backend-unix", ""));
        }
        String v = o.string("backend", "");
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new Options.UsageException("--backend wants HOST:PORT, got '" + v + "'");
        }
        String h = v.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1); // [::1]:6379
        }
        int p;
        try {
            p = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--backend port is not a number: '" + v + "'");
        }
        if (p < 1 || p > 65535) {
            throw new Options.UsageException("--backend port must be in 1..65535: " + p);
        }
        return InetSocketAddress.createUnresolved(h, p); // resolved by the connector, off the loop
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.codec.Framing;
import io.pollwire.example.proxy.ProxyHandler;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;

/**
 * {@code proxy}: forwards every connection to one backend, bytes both ways
 * ({@link io.pollwire.example.proxy}), e.g. {@code proxy --port 8000 --backend 127.0.0.1:6379}.
 */
final class ProxyCommand extends ServerCommand {
    private SocketAddress backend;
    private Duration connectTimeout;
    private Duration drainQuiet;

    ProxyCommand() {
        super("proxy", "0.0.0.0", 8000, ALL_PROCESSORS, Duration.ZERO, Shared.UNIX);
    }

    @Override
    void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar proxy --backend HOST:PORT | --backend-unix PATH [options]");
        out.println("TCP proxy: each connection is forwarded to the backend, bytes both ways, with backpressure,");
        out.println("half-close and reset passed on, and a graceful drain on SIGTERM.");
        out.println("  --backend HOST:PORT      where to connect (the host is resolved off the event loops)");
        out.println("  --backend-unix PATH      connect to a Unix domain socket instead");
        listenUsage(out, "event loop threads (default: available processors)");
        out.println("  --connect-timeout DUR    backend connect timeout (default 10s)");
        out.println("  --drain-quiet DUR        on SIGTERM, a pair whose backend spoke less than this ago waits");
        out.println("                           until it has been quiet this long (default 500ms)");
        drainUsage(out, "e.g. 60s, off (default off)");
        exitUsage(out);
    }

    @Override
    String[] ownOptions() {
        return new String[] {"backend", "backend-unix", "connect-timeout", "drain-quiet"};
    }

    @Override
    void readRequired(Options o) throws Options.UsageException {
        backend = backend(o);
    }

    @Override
    void readOptions(Options o) throws Options.UsageException {
        connectTimeout = o.duration("connect-timeout", Duration.ofSeconds(10));
        drainQuiet = o.duration("drain-quiet", ProxyHandler.DEFAULT_DRAIN_QUIET);
        if (drainQuiet.isZero()) {
            throw new Options.UsageException("--drain-quiet must be positive");
        }
    }

    @Override
    void configure(Server.Builder builder, int loops) {
        builder.framing(Framing.raw())
                .allowHalfClosure(true)
                .connectTimeout(connectTimeout)
                .handler(new ProxyHandler(backend, drainQuiet));
    }

    @Override
    String describe(Server server) {
        return ", backend " + ProxyHandler.describe(backend);
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

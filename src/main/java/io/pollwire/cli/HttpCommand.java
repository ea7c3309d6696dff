// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.ShutdownSignals;
import io.pollwire.Transport;
import io.pollwire.example.http.HttpExample;
import io.pollwire.transport.loader.NativeLibrary;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code http}: the HTTP/1.1 example server ({@link io.pollwire.example.http}), e.g. for
 * {@code wrk -c 64 http://127.0.0.1:8080/plaintext}. An example of the framer SPI, not a full
 * HTTP stack.
 */
final class HttpCommand {
    private HttpCommand() {}

    static void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar http [options]");
        out.println("HTTP/1.1 example server (an example of pollwire's framer SPI, not a full HTTP stack):");
        out.println("  GET /plaintext -> Hello, World!   POST /echo -> the request body   anything else -> 404");
        out.println("  --host ADDR              address to listen on (default 0.0.0.0)");
        out.println("  --port N                 port; 0 picks a free one and prints it (default 8080)");
        out.println("  --transport T            auto|epoll|kqueue|nio (default auto)");
        out.println("  --loops N                event loop threads (default: available processors)");
        out.println("  --max-head BYTES         largest request line + headers, else 431 (default 8k)");
        out.println("  --max-body BYTES         largest Content-Length, else 413 (default 1m)");
        out.println("  --max-connections N      connections open at once, 0 = no limit (default 0)");
        out.println("  --idle-timeout DURATION  close silent connections, e.g. 60s, off (default 60s)");
        out.println("  --shutdown-timeout DUR   drain time on SIGTERM/SIGINT/SIGHUP (default 10s)");
        out.println("  --reuse-port BOOL        one SO_REUSEPORT listener per loop (default false)");
        out.println("Signals: TERM, INT or HUP start a graceful shutdown; a second one forces it.");
        out.println("Exit status: 0 all connections drained, " + EchoCommand.EXIT_FORCED + " some were forced, "
                + EchoCommand.EXIT_START_FAILED + " could not start, 2 bad usage, " + EchoCommand.EXIT_LOOP_FAILED
                + " an event loop failed.");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Server server;
        ShutdownSignals signals;
        Duration shutdownTimeout;
        try {
            Options o = Options.parse(args, 1, "host", "port", "transport", "loops", "max-head", "max-body",
                    "max-connections", "idle-timeout", "shutdown-timeout", "reuse-port");
            if (o.help()) {
                usage(out);
                return 0;
            }
            Transport transport = EchoCommand.parseTransport(o.string("transport", "auto"));
            String host = o.string("host", "0.0.0.0");
            int port = o.integer("port", 8080, 0, 65535);
            int loops = o.integer("loops", Runtime.getRuntime().availableProcessors(), 1, 1024);
            int maxHead = o.integer("max-head", HttpExample.DEFAULT_MAX_HEAD, 16, 1024 * 1024);
            int maxBody = o.integer("max-body", HttpExample.DEFAULT_MAX_BODY, 0, 256 * 1024 * 1024);
            int maxConnections = o.integer("max-connections", 0, 0, Integer.MAX_VALUE);
            Duration idle = o.duration("idle-timeout", Duration.ofSeconds(60));
            shutdownTimeout = o.duration("shutdown-timeout", Duration.ofSeconds(10));
            boolean reusePort = EchoCommand.parseBoolean("reuse-port", o.string("reuse-port", "false"));
            try {
                server = Server.builder()
                        .transport(transport)
                        .bind(host, port)
                        .loops(loops)
                        .framing(HttpExample.framing(maxHead, maxBody))
                        .handler(HttpExample.handler())
                        .maxConnections(maxConnections)
                        .idleTimeout(idle)
                        .shutdownTimeout(shutdownTimeout)
                        .reusePort(reusePort)
                        .name("pollwire-http")
                        .start();
            } catch (IOException | RuntimeException e) {
                err.println("pollwire http: cannot start: " + e.getMessage());
                return EchoCommand.EXIT_START_FAILED;
            }
            signals = EchoCommand.handleSignals(server, shutdownTimeout, err);
            out.println("pollwire http listening on " + EchoCommand.format(host, server) + " (transport "
                    + server.transport() + ", " + loops + (loops == 1 ? " loop" : " loops") + ", max head "
                    + maxHead + " bytes, max body " + maxBody + " bytes)");
            if (transport == Transport.AUTO && server.transport() == Transport.NIO
                    && NativeLibrary.unavailabilityCause() != null) {
                out.println("native transport unavailable, using NIO: "
                        + NativeLibrary.describe(NativeLibrary.unavailabilityCause()));
            }
            out.flush();
        } catch (Options.UsageException e) {
            return Options.usageError("pollwire http", e.getMessage(), err);
        }
        return EchoCommand.awaitShutdown(signals, server);
    }
}

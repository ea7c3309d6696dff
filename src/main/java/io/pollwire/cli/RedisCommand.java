// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.ShutdownSignals;
import io.pollwire.example.resp.RespExample;
import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code redis}: the RESP example server ({@link io.pollwire.example.resp}), e.g. for
 * {@code redis-cli -p 6379} or {@code redis-benchmark -t set,get -P 16}. An example of the API,
 * not a Redis replacement. Like redis-server's protected mode it has no authentication, so it
 * listens on 127.0.0.1 unless {@code --host} says otherwise, and its startup line says so.
 */
final class RedisCommand {
    private RedisCommand() {}

    static void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar redis [options]");
        out.println("RESP (Redis protocol) example server: strings in memory, replies as redis-server 7 sends them.");
        out.println("  PING ECHO SET(NX|XX|GET|KEEPTTL|EX|PX|EXAT|PXAT) GET DEL EXISTS INCR INCRBY DECR DECRBY MGET MSET");
        out.println("  FLUSHALL DBSIZE QUIT, and CONFIG GET / COMMAND DOCS / HELLO for redis-cli and redis-benchmark.");
        out.println("  No authentication: it listens on 127.0.0.1 unless --host says otherwise.");
        out.println("  --host ADDR              address to listen on (default 127.0.0.1)");
        out.println("  --port N                 port; 0 picks a free one and prints it (default 6379)");
        out.println("  --transport T            auto|epoll|kqueue|nio (default auto)");
        out.println("  --loops N                event loop threads; more than 1 shards the store over locks (default 1)");
        out.println("  --max-bulk BYTES         longest bulk string, else a protocol error (default 1m)");
        out.println("  --max-args N             most elements of one command array (default 1048576)");
        out.println("  --max-clients N          connections open at once, 0 = no limit (default 10000)");
        out.println("  --idle-timeout DURATION  close silent connections, e.g. 300s (default off)");
        out.println("  --shutdown-timeout DUR   drain time on SIGTERM/SIGINT/SIGHUP (default 10s)");
        out.println("Exit status: 0 all connections drained, " + EchoCommand.EXIT_FORCED + " some were forced, "
                + EchoCommand.EXIT_START_FAILED + " could not start, 2 bad usage, " + EchoCommand.EXIT_LOOP_FAILED
                + " an event loop failed.");
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Server server;
        ShutdownSignals signals;
        try {
            Options o = Options.parse(args, 1, "host", "port", "transport", "loops", "max-bulk", "max-args",
                    "max-clients", "idle-timeout", "shutdown-timeout");
            if (o.help()) {
                usage(out);
                return 0;
            }
            Transport transport = EchoCommand.parseTransport(o.string("transport", "auto"));
            String host = o.string("host", "127.0.0.1");
            int port = o.integer("port", 6379, 0, 65535);
            int loops = o.integer("loops", 1, 1, 1024);
            int maxBulk = o.integer("max-bulk", RespExample.DEFAULT_MAX_BULK, 0, 512 * 1024 * 1024);
            int maxArgs = o.integer("max-args", RespExample.DEFAULT_MAX_ARGS, 1, Integer.MAX_VALUE);
            int maxClients = o.integer("max-clients", 10000, 0, Integer.MAX_VALUE);
            Duration idle = o.duration("idle-timeout", Duration.ZERO);
            Duration shutdownTimeout = o.duration("shutdown-timeout", Duration.ofSeconds(10));
            try {
                server = Server.builder()
                        .transport(transport)
                        .bind(host, port)
                        .loops(loops)
                        .framing(RespExample.framing(maxArgs, maxBulk))
                        .handler(RespExample.handler(loops))
                        .maxConnections(maxClients)
                        .idleTimeout(idle)
                        .shutdownTimeout(shutdownTimeout)
                        .name("pollwire-redis")
                        .start();
            } catch (IOException | RuntimeException e) {
                err.println("pollwire redis: cannot start: " + e.getMessage());
                return EchoCommand.EXIT_START_FAILED;
            }
            signals = EchoCommand.handleSignals(server, shutdownTimeout, err);
            boolean loopback = server.localAddress().getAddress().isLoopbackAddress();
            out.println("pollwire redis listening on " + EchoCommand.format(host, server) + " (transport "
                    + server.transport() + ", " + loops + (loops == 1 ? " loop" : " loops") + ", max bulk "
                    + maxBulk + " bytes, no authentication: "
                    + (loopback ? "loopback only, --host to listen elsewhere)" : "reachable from other hosts)"));
            if (transport == Transport.AUTO && server.transport() == Transport.NIO
                    && NativeLibrary.unavailabilityCause() != null) {
                out.println("native transport unavailable, using NIO: "
                        + NativeLibrary.describe(NativeLibrary.unavailabilityCause()));
            }
            out.flush();
        } catch (Options.UsageException e) {
            return Options.usageError("pollwire redis", e.getMessage(), err);
        }
        return EchoCommand.awaitShutdown(signals, server);
    }
}

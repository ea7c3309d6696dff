// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.example.resp.RespExample;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code redis}: the RESP example server ({@link io.pollwire.example.resp}), e.g. for
 * {@code redis-cli -p 6379} or {@code redis-benchmark -t set,get -P 16}. An example of the API,
 * not a Redis replacement. Like redis-server's protected mode it has no authentication, so it
 * listens on 127.0.0.1 unless {@code --host} says otherwise, and its startup line says so.
 */
final class RedisCommand extends ServerCommand {
    private int maxBulk;
    private int maxArgs;
    private int maxClients;

    RedisCommand() {
        super("redis", "127.0.0.1", 6379, 1, Duration.ZERO);
    }

    @Override
    void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar redis [options]");
        out.println("RESP (Redis protocol) example server: strings in memory, replies as redis-server 7 sends them.");
        out.println("  PING ECHO SET(NX|XX|GET|KEEPTTL|EX|PX|EXAT|PXAT) GET DEL EXISTS INCR INCRBY DECR DECRBY MGET MSET");
        out.println("  FLUSHALL DBSIZE QUIT, and CONFIG GET / COMMAND DOCS / HELLO for redis-cli and redis-benchmark.");
        out.println("  No authentication: it listens on 127.0.0.1 unless --host says otherwise.");
        listenUsage(out, "event loop threads; more than 1 shards the store over locks (default 1)");
        out.println("  --max-bulk BYTES         longest bulk string, else a protocol error (default 1m)");
        out.println("  --max-args N             most elements of one command array (default 1048576)");
        out.println("  --max-clients N          connections open at once, 0 = no limit (default 10000)");
        drainUsage(out, "e.g. 300s (default off)");
        exitUsage(out);
    }

    @Override
    String[] ownOptions() {
        return new String[] {"max-bulk", "max-args", "max-clients"};
    }

    @Override
    void readOptions(Options o) throws Options.UsageException {
        maxBulk = o.integer("max-bulk", RespExample.DEFAULT_MAX_BULK, 0, 512 * 1024 * 1024);
        maxArgs = o.integer("max-args", RespExample.DEFAULT_MAX_ARGS, 1, Integer.MAX_VALUE);
        maxClients = o.integer("max-clients", 10000, 0, Integer.MAX_VALUE);
    }

    @Override
    void configure(Server.Builder builder, int loops) {
        builder.framing(RespExample.framing(maxArgs, maxBulk))
                .handler(RespExample.handler(loops))
                .maxConnections(maxClients);
    }

    @Override
    String describe(Server server) {
        boolean loopback = server.localAddress().getAddress().isLoopbackAddress();
        return ", max bulk " + maxBulk + " bytes, no authentication: "
                + (loopback ? "loopback only, --host to listen elsewhere" : "reachable from other hosts");
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Server;
import io.pollwire.example.http.HttpExample;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code http}: the HTTP/1.1 example server ({@link io.pollwire.example.http}), e.g. for
 * {@code wrk -c 64 http://127.0.0.1:8080/plaintext}. An example of the framer SPI, not a full
 * HTTP stack.
 */
final class HttpCommand extends ServerCommand {
    private int maxHead;
    private int maxBody;
    private int maxConnections;

    HttpCommand() {
        super("http", "0.0.0.0", 8080, ALL_PROCESSORS, Duration.ofSeconds(60), Shared.REUSE_PORT);
    }

    @Override
    void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar http [options]");
        out.println("HTTP/1.1 example server (an example of pollwire's framer SPI, not a full HTTP stack):");
        out.println("  GET /plaintext -> Hello, World!   POST /echo -> the request body   anything else -> 404");
        listenUsage(out, "event loop threads (default: available processors)");
        out.println("  --max-head BYTES         largest request line + headers, else 431 (default 8k)");
        out.println("  --max-body BYTES         largest Content-Length, else 413 (default 1m)");
        out.println("  --max-connections N      connections open at once, 0 = no limit (default 0)");
        drainUsage(out, "e.g. 60s, off (default 60s)");
        out.println("Signals: TERM, INT or HUP start a graceful shutdown; a second one forces it.");
        exitUsage(out);
    }

    @Override
    String[] ownOptions() {
        return new String[] {"max-head", "max-body", "max-connections"};
    }

    @Override
    void readOptions(Options o) throws Options.UsageException {
        maxHead = o.integer("max-head", HttpExample.DEFAULT_MAX_HEAD, 16, 1024 * 1024);
        maxBody = o.integer("max-body", HttpExample.DEFAULT_MAX_BODY, 0, 256 * 1024 * 1024);
        maxConnections = o.integer("max-connections", 0, 0, Integer.MAX_VALUE);
    }

    @Override
    void configure(Server.Builder builder, int loops) {
        builder.framing(HttpExample.framing(maxHead, maxBody))
                .handler(HttpExample.handler())
                .maxConnections(maxConnections);
    }

    @Override
    String describe(Server server) {
        return ", max head " + maxHead + " bytes, max body " + maxBody + " bytes";
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import io.pollwire.Server;
import io.pollwire.ShutdownSignals;
import io.pollwire.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A service built on the library as a user would build one, run in its own JVM by the
 * lifecycle process tests: the {@link Replier} protocol (inline, deferred and stuck replies) and
 * either {@link ShutdownSignals} ({@code signals}) or a plain
 * {@code Runtime.addShutdownHook(server::close)} ({@code hook}).
 *
 * <p>Arguments: {@code TRANSPORT signals|hook DRAIN_MILLIS}. Prints
 * {@code listening on 127.0.0.1:PORT } first, as the CLI does.
 */
public final class DeferringService {
    private DeferringService() {}

    public static void main(String[] args) throws Exception {
        Transport transport = Transport.valueOf(args[0]);
        Duration drain = Duration.ofMillis(Long.parseLong(args[2]));
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "service-executor");
            t.setDaemon(true);
            return t;
        });
        Server server = Server.builder().transport(transport).loops(2)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .shutdownTimeout(drain).handler(new Replier(executor)).start();
        if (args[1].equals("signals")) {
            ShutdownSignals signals = ShutdownSignals.install(server, drain);
            announce(server);
            System.exit(signals.awaitExitStatus());
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "service-hook"));
            announce(server);
            server.awaitTermination();
        }
    }

    private static void announce(Server server) {
        System.out.println("listening on 127.0.0.1:" + server.localAddress().getPort() + " ");
        System.out.flush();
    }
}

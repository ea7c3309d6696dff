// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line protocol that answers inline or from an executor, for the lifecycle tests:
 * <ul>
 *   <li>{@code inline <client> <text>}: replies {@code <text>\n} at once, on the loop;
 *   <li>{@code defer <client> <ms> <text>}: reserves a {@link DeferredReply} and sends
 *       {@code <text>\n} from the executor {@code ms} later;
 *   <li>{@code stuck <client>}: reserves a reply that is never sent.
 * </ul>
 * It counts, per client name, the requests it handled: exactly the replies that client is owed.
 */
public final class Replier implements ConnectionHandler {
    private final ScheduledExecutorService executor;
    public final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    public final List<DeferredReply> stuck = new CopyOnWriteArrayList<>();
    public final LinkedBlockingQueue<Connection> inputClosed = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<CloseReason> closeEvents = new LinkedBlockingQueue<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final AtomicInteger refused = new AtomicInteger();

    public Replier(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public void onFrame(Connection conn, ByteBuffer frame) {
        String[] f = StandardCharsets.US_ASCII.decode(frame).toString().split(" ", 4);
        handled.computeIfAbsent(f[1], k -> new AtomicInteger()).incrementAndGet();
        switch (f[0]) {
            case "inline":
                conn.write(bytes(f[2]));
                break;
            case "defer": {
                DeferredReply reply = conn.deferReply();
                byte[] text = bytes(f[3]);
                executor.schedule(() -> {
                    if (!reply.send(text)) {
                        refused.incrementAndGet();
                    }
                }, Long.parseLong(f[2]), TimeUnit.MILLISECONDS);
                break;
            }
            case "stuck":
                stuck.add(conn.deferReply());
                break;
            default:
                throw new IllegalArgumentException("unknown request " + f[0]);
        }
    }

    public int handled(String client) {
        AtomicInteger n = handled.get(client);
        return n == null ? 0 : n.get();
    }

    static byte[] bytes(String text) {
        return (text + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void onInputClosed(Connection connection) {
        inputClosed.add(connection);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(Connection connection, CloseReason reason, Throwable cause) {
        closeEvents.add(reason);
    }
}

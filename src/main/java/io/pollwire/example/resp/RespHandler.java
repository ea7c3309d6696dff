// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Frames;
import io.pollwire.codec.FramingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The example's {@link ConnectionHandler}: for each command {@link RespFramer} cut, reads its
 * arguments in place ({@link RespArgs}) and runs it ({@link RespCommands}); replies are
 * written in order and sent with one system call per read by the event loop.
 *
 * <p>The clock is read once per batch of pipelined commands (Redis too uses one time for a
 * command and caches it per event-loop iteration). Active expiry ({@link RespStore#sweep}, one
 * bounded step every {@value RespStore#SWEEP_INTERVAL_MS} ms) runs on a loop timer, with or
 * without commands, as Redis's {@code serverCron} runs {@code activeExpireCycle}: the first
 * connection starts it on its loop ({@link Connection#schedule}), and it goes on until that loop
 * stops (the connection is only the way to the loop's timers). Nothing is allocated per command
 * on the paths of GET, or of a SET that replaces a value of the same length.
 */
final class RespHandler implements ConnectionHandler {
    private final RespStore store;
    private final RespCommands commands;
    /** Set once the periodic sweep runs. */
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /** What one connection reuses for each of its commands. */
    private static final class Session {
        final RespArgs args = new RespArgs();
        final byte[] scratch = new byte[32];
    }

    RespHandler(RespStore store) {
        this.store = store;
        this.commands = new RespCommands(store, new ServerCommands());
    }

    @Override
    public void onOpen(Connection connection) {
        connection.attach(new Session());
        if (sweeping.compareAndSet(false, true)) {
            sweepLater(connection);
        }
    }

    /** Schedules the next step of active expiry on {@code via}'s loop; each step schedules the next. */
    private void sweepLater(Connection via) {
        try {
            via.schedule(Duration.ofMillis(RespStore.SWEEP_INTERVAL_MS), () -> {
                store.sweep(System.currentTimeMillis());
                sweepLater(via);
            });
        } catch (RejectedExecutionException e) {
            // the loop has stopped: the server is shutting down, the store with it
        }
    }

    @Override
    public void onFrames(Connection connection, Frames frames) {
        long now = System.currentTimeMillis();
        Session s = connection.attachment();
        int n = frames.count();
        for (int i = 0; i < n && connection.isOpen(); i++) {
            run(connection, s, frames.get(i), now);
        }
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer frame) {
        run(connection, connection.attachment(), frame, System.currentTimeMillis());
    }

    private void run(Connection connection, Session s, ByteBuffer frame, long now) {
        if (s.args.parse(frame, frame.position(), frame.limit()) > 0) {
            commands.execute(connection, s.args, s.scratch, now);
        }
    }

    /** A protocol error: Redis's {@code -ERR Protocol error: ...}, then the loop closes. */
    @Override
    public void onFramingError(Connection connection, FramingException error) {
        if (error instanceof RespProtocolException && ((RespProtocolException) error).isSilent()) {
            return;
        }
        connection.write(("-ERR " + error.getMessage() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}

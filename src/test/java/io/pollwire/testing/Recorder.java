// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.FramingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An echo handler that also records what it saw, for assertions. */
public class Recorder implements ConnectionHandler {
    public final List<String> frames = new CopyOnWriteArrayList<>();
    public final List<String> partials = new CopyOnWriteArrayList<>();
    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final Map<Long, CloseReason> closed = new ConcurrentHashMap<>();
    public final LinkedBlockingQueue<CloseReason> closeEvents = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    private volatile boolean record = true;

    public Recorder quiet() {
        record = false;
        return this;
    }

    @Override
    public void onOpen(Connection connection) {
        opened.add(connection);
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer frame) throws Exception {
        if (record) {
            frames.add(StandardCharsets.ISO_8859_1.decode(frame).toString());
        }
        connection.echo();
    }

    @Override
    public void onPartialFrame(Connection connection, ByteBuffer partial) {
        partials.add(StandardCharsets.ISO_8859_1.decode(partial).toString());
        connection.echo();
    }

    @Override
    public void onFramingError(Connection connection, FramingException error) {
        errors.add(error);
        ConnectionHandler.super.onFramingError(connection, error);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        errors.add(error);
    }

    @Override
    public void onClose(Connection connection, CloseReason reason, Throwable cause) {
        closed.put(connection.id(), reason);
        closeEvents.add(reason);
    }

    /** Waits for the next close event. */
    public CloseReason nextClose(long millis) throws InterruptedException {
        return closeEvents.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code n} connections are open according to onOpen/onClose counts. */
    public static void await(CountDownLatch latch, long millis) throws InterruptedException {
        if (!latch.await(millis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("timed out after " + millis + " ms waiting for " + latch);
        }
    }
}

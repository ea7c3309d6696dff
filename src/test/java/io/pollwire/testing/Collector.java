// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client-side handler that records what arrives without answering (unlike {@link Recorder},
 * which echoes and would ping-pong with an echo server), and the threads it was called on.
 */
public class Collector implements ConnectionHandler {
    public final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<Thread> openThreads = new LinkedBlockingQueue<>();
    public final LinkedBlockingQueue<Thread> frameThreads = new LinkedBlockingQueue<>();

    @Override
    public void onOpen(Connection connection) {
        openThreads.add(Thread.currentThread());
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer frame) {
        frameThreads.add(Thread.currentThread());
        frames.add(StandardCharsets.ISO_8859_1.decode(frame).toString());
    }

    @Override
    public void onClose(Connection connection, CloseReason reason, Throwable cause) {
        closes.add(reason);
    }

    /** @return the next frame, or fails after {@code millis} */
    public String nextFrame(long millis) throws InterruptedException {
        String f = frames.poll(millis, TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + millis + " ms");
        }
        return f;
    }

    /** @return the next close reason, or fails after {@code millis} */
    public CloseReason nextClose(long millis) throws InterruptedException {
        CloseReason r = closes.poll(millis, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no close within " + millis + " ms");
        }
        return r;
    }
}

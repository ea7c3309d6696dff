package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Connection} the application holds: callable from any thread. On the loop thread
 * each call goes straight to the connection; from another thread, writes are copied and handed
 * to the loop as a task (and count in {@link #queuedBytes()} on their way), and closes are
 * handed over likewise. What other threads read without a hop (open flag, queued-bytes hint,
 * addresses, attachment) is published here.
 */
final class ConnectionHandle implements Connection {
    private final LoopConnection c;
    private final EventLoop loop;
    /** Bytes written from other threads, on their way to the loop: they count for watermarks. */
    private final AtomicLong inTransit = new AtomicLong();
    private volatile boolean openFlag = true;
    private volatile Object attachment;
    private SocketAddress remote;
    private SocketAddress local;

    ConnectionHandle(LoopConnection c) {
        this.c = c;
        this.loop = c.loop;
    }

    /** The connection is registered: its addresses are known. Loop thread, before onOpen. */
    void opened(SocketAddress remote, SocketAddress local) {
        this.remote = remote;
        this.local = local;
    }

    /** The connection stopped being open (closing, draining or closed). */
    void markNotOpen() {
        openFlag = false;
    }

    @Override
    public long id() {
        return c.id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress address, Framing framing, ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        LoopConfig config = loop.config;
        return Connector.connect(loop, address, framing, handler, config.socketOptions(), config.connectTimeoutNanos());
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (loop.inLoop()) {
            c.output.write(bytes, offset, length);
            return;
        }
        byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
        inTransit.addAndGet(length);
        if (!loop.execute(() -> {
            inTransit.addAndGet(-copy.length);
            write(copy, 0, copy.length);
        })) {
            inTransit.addAndGet(-length); // the loop is gone: so is the connection
        }
    }

    @Override
    public void write(ByteBuffer src) {
        if (loop.inLoop()) {
            c.output.write(src);
            return;
        }
        int length = src.remaining();
        ByteBuffer copy = ByteBuffer.allocate(length);
        copy.put(src).flip();
        inTransit.addAndGet(length);
        if (!loop.execute(() -> {
            inTransit.addAndGet(-length);
            write(copy);
        })) {
            inTransit.addAndGet(-length);
        }
    }

    @Override
    public void echo() {
        if (!loop.inLoop() || !loop.replies.ownedBy(c.output) || !c.input.hasFrame()) {
            throw new IllegalStateException("echo() is only valid inside onFrame/onPartialFrame of this connection");
        }
        if (c.isServing()) {
            c.input.echoFrame();
        }
    }

    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        c.closeGracefully(CloseReason.LOCAL, null);
    }

    @Override
    public void abort() {
        if (!loop.inLoop()) {
            loop.execute(this::abort);
            return;
        }
        c.closeNow(CloseReason.LOCAL, null);
    }

    @Override
    public boolean isOpen() {
        return openFlag && (!loop.inLoop() || c.isServing());
    }

    @Override
    public long queuedBytes() {
        return (loop.inLoop() ? c.output.bytes() : c.output.queuedHint()) + inTransit.get();
    }

    @Override
    public boolean isWritable() {
        return queuedBytes() <= loop.config.highWatermark();
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public String toString() {
        return c.toString();
    }
}

package io.pollwire.transport.nio;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/** A connected socket of the NIO transport. */
public final class NioSocket extends NetSocket implements NioHandle {
    private final SocketChannel channel;
    private InetSocketAddress remote;

    /** @param channel a connected channel; made non-blocking here */
    public NioSocket(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public int read(IoBuffer dst, int offset, int length) throws IOException {
        ByteBuffer b = dst.buffer();
        b.limit(offset + length).position(offset);
        try {
            return channel.read(b);
        } finally {
            b.clear(); // see write
        }
    }

    @Override
    public int write(IoBuffer src, int offset, int length) throws IOException {
        ByteBuffer b = src.buffer();
        b.limit(offset + length).position(offset);
        try {
            return channel.write(b);
        } finally {
            // The loop and the framers read and write these shared buffers with absolute
            // indices, which the JDK bounds by the limit: leave the whole buffer reachable.
            b.clear();
        }
    }

    @Override
    public long write(WriteBatch batch) throws IOException {
        try {
            return channel.write(batch.nioBuffers(), 0, batch.count());
        } finally {
            for (int i = 0; i < batch.count(); i++) {
                batch.buffer(i).buffer().clear(); // the first view of each buffer is the buffer itself
            }
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // close() on a socket channel only reports errors of an already-dead connection
        }
    }

    @Override
    public void setLingerZero() throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    @Override
    public void setTcpNoDelay(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (remote == null) {
            try {
                remote = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return remote;
    }

    @Override
    public boolean isConnectionReset(IOException error) {
        String m = error.getMessage();
        return error instanceof SocketException && m != null
                && (m.contains("reset") || m.contains("Broken pipe"));
    }
}

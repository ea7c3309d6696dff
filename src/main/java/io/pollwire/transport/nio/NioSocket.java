// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;

/** A socket of the NIO transport: TCP or Unix domain, accepted or connecting out. */
public final class NioSocket extends NetSocket implements NioHandle {
    private final SocketChannel channel;
    private final boolean unix;
    private SocketAddress remote;
    /** Where {@link #startConnect()} goes, for an outbound socket. */
    private final SocketAddress target;

    /** @param channel a connected TCP channel; made non-blocking here */
    public NioSocket(SocketChannel channel) throws IOException {
        this(channel, false, null);
    }

    private NioSocket(SocketChannel channel, boolean unix, SocketAddress target) throws IOException {
        this.channel = channel;
        this.unix = unix;
        this.target = target;
        this.remote = target;
        channel.configureBlocking(false);
    }

    /** @return an accepted Unix domain socket (its peer is unnamed) */
    static NioSocket acceptedUnix(SocketChannel channel) throws IOException {
        return new NioSocket(channel, true, null);
    }

    /**
     * Creates an unconnected non-blocking channel of {@code remote}'s family, for
     * {@link #startConnect()}.
     *
     * @param remote a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     */
    public static NioSocket create(SocketAddress remote) throws IOException {
        boolean unix = remote instanceof UnixDomainSocketAddress;
        SocketChannel ch = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            return new NioSocket(ch, unix, remote);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public boolean startConnect() throws IOException {
        return channel.connect(target);
    }

    @Override
    public boolean finishConnect(int pollerError) throws IOException {
        return channel.finishConnect();
    }

    @Override
    public boolean isTcp() {
        return !unix;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    // pollwire addresses IoBuffers by absolute index, which Java checks against the limit:
    // every NIO call below restores position 0 / limit capacity after narrowing the buffer.

    @Override
    public int read(IoBuffer dst, int offset, int length) throws IOException {
        ByteBuffer b = dst.buffer();
        b.limit(offset + length).position(offset);
        try {
            return channel.read(b);
        } finally {
            b.clear();
        }
    }

    @Override
    public int write(IoBuffer src, int offset, int length) throws IOException {
        ByteBuffer b = src.buffer();
        b.limit(offset + length).position(offset);
        try {
            return channel.write(b);
        } finally {
            b.clear();
        }
    }

    @Override
    public long write(WriteBatch batch) throws IOException {
        ByteBuffer[] views = batch.nioBuffers();
        int count = batch.count();
        try {
            return channel.write(views, 0, count);
        } finally {
            for (int i = 0; i < count; i++) {
                views[i].clear();
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
    public void setLinger(int seconds) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, seconds);
    }

    @Override
    public void setKeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) throws IOException {
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, on);
        if (on) {
            NioKeepAlive.tune(channel, idleSeconds, intervalSeconds, count);
        }
    }

    @Override
    public void setBufferSizes(int receiveBytes, int sendBytes) throws IOException {
        if (receiveBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBytes);
        }
        if (sendBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBytes);
        }
    }

    @Override
    public int intOption(String name) throws IOException {
        switch (name) {
            case "SO_RCVBUF": return channel.getOption(StandardSocketOptions.SO_RCVBUF);
            case "SO_SNDBUF": return channel.getOption(StandardSocketOptions.SO_SNDBUF);
            case "SO_KEEPALIVE": return channel.getOption(StandardSocketOptions.SO_KEEPALIVE) ? 1 : 0;
            case "TCP_NODELAY": return channel.getOption(StandardSocketOptions.TCP_NODELAY) ? 1 : 0;
            case "SO_LINGER": return channel.getOption(StandardSocketOptions.SO_LINGER);
            default: return NioKeepAlive.get(channel, name);
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public SocketAddress localAddress() {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public SocketAddress remoteAddress() {
        if (remote == null) {
            try {
                remote = channel.getRemoteAddress();
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

package io.pollwire.transport.nio;

import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening socket of the NIO transport. */
public final class NioListener extends NetListener implements NioHandle {
    private final ServerSocketChannel channel;
    private final InetSocketAddress local;

    private NioListener(ServerSocketChannel channel) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    /**
     * Creates, binds and listens.
     *
     * @param reusePort set {@code SO_REUSEPORT} (where the JDK supports it on this OS)
     */
    public static NioListener open(InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            ch.bind(address, backlog);
            return new NioListener(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public NetSocket accept() throws IOException {
        SocketChannel ch = channel.accept();
        if (ch == null) {
            return null;
        }
        try {
            return new NioSocket(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the listener is going away either way
        }
    }

    @Override
    public boolean isTransient(IOException error) {
        String m = String.valueOf(error.getMessage());
        return m.contains("aborted") || m.contains("reset") || m.contains("Protocol error");
    }
}

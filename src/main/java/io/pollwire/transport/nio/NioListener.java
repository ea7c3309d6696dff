// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import java.io.IOException;
import io.pollwire.transport.UnixSocketFiles;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening socket of the NIO transport: TCP, or Unix domain on a file path. */
public final class NioListener extends NetListener implements NioHandle {
    private final ServerSocketChannel channel;
    private final SocketAddress local;
    private final UnixDomainSocketAddress unixPath;
    private final Object unixFileKey;

    private NioListener(ServerSocketChannel channel, UnixDomainSocketAddress unixPath) throws IOException {
        this.channel = channel;
        this.local = channel.getLocalAddress();
        this.unixPath = unixPath;
        this.unixFileKey = unixPath == null ? null : UnixSocketFiles.fileKey(unixPath);
    }

    /**
     * Creates, binds and listens on a Unix domain socket path ({@code StandardProtocolFamily.UNIX},
     * JDK 16+); a stale socket file there is replaced, a live server's path refused (see
     * {@link UnixSocketFiles}), and the file removed on close.
     */
    public static NioListener open(UnixDomainSocketAddress path, int backlog) throws IOException {
        UnixSocketFiles.clearStale(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.configureBlocking(false);
            ch.bind(path, backlog);
            return new NioListener(ch, path);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
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
            return new NioListener(ch, null);
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
            return unixPath != null ? NioSocket.acceptedUnix(ch) : new NioSocket(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() {
        boolean wasOpen = channel.isOpen();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do: the listener is going away either way
        }
        if (wasOpen && unixPath != null) {
            UnixSocketFiles.remove(unixPath, unixFileKey);
        }
    }

    @Override
    public boolean isTransient(IOException error) {
        String m = String.valueOf(error.getMessage());
        return m.contains("aborted") || m.contains("reset") || m.contains("Protocol error");
    }
}

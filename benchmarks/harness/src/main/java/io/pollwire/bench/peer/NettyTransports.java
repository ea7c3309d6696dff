// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** The epoll or NIO pair (I/O handler factory, server channel class) of a Netty 4.2 peer. */
final class NettyTransports {
    final IoHandlerFactory ioHandlers;
    final Class<? extends ServerChannel> serverChannel;

    private NettyTransports(IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel) {
        this.ioHandlers = ioHandlers;
        this.serverChannel = serverChannel;
    }

    /** @param transport epoll or nio */
    static NettyTransports of(String transport) {
        switch (transport) {
            case "epoll":
                Epoll.ensureAvailability();
                return new NettyTransports(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            case "nio":
                return new NettyTransports(NioIoHandler.newFactory(), NioServerSocketChannel.class);
            default:
                throw new IllegalArgumentException("transport must be epoll or nio: " + transport);
        }
    }
}

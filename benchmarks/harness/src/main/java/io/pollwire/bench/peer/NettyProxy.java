// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;

/**
 * The Netty 4.2 peer of pollwire's proxy, written as Netty's HexDumpProxy example is (without
 * the hex dump): epoll, one event loop, the backend connected on the inbound channel's own loop
 * ({@code Bootstrap.group(inbound.eventLoop())}), autoRead off until the backend is up; then
 * each side's reads are written to the other and flushed once per read batch, and a side whose
 * peer is not writable stops reading until it is again (autoRead toggled, the same backpressure
 * pollwire's proxy has). Pooled allocator, TCP_NODELAY.
 *
 * <p>{@code --host H --port P --backend-port B} (the backend is on 127.0.0.1).
 */
public final class NettyProxy {
    private NettyProxy() {}

    /** Forwards what {@code ctx}'s channel reads to {@code other}; mirrors autoRead on writability. */
    static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Relay(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.write(msg, other.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            other.flush();
            if (!other.isWritable()) {
                ctx.channel().config().setAutoRead(false); // resumed by other's writability change
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            other.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (other.isActive()) {
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client side: connects the backend on its own loop once active. */
    static final class Frontend extends ChannelInboundHandlerAdapter {
        private final int backendPort;

        Frontend(int backendPort) {
            this.backendPort = backendPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel inbound = ctx.channel();
            Bootstrap b = new Bootstrap()
                    .group(inbound.eventLoop())
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Relay(inbound));
            b.connect("127.0.0.1", backendPort).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.pipeline().replace(this, "relay", new Relay(f.channel()));
                    f.channel().config().setAutoRead(true);
                    inbound.config().setAutoRead(true);
                } else {
                    inbound.close();
                }
            });
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        int backendPort = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host": host = args[i + 1]; break;
                case "--port": port = Integer.parseInt(args[i + 1]); break;
                case "--backend-port": backendPort = Integer.parseInt(args[i + 1]); break;
                default:
                    System.err.println("usage: NettyProxy --host H --port P --backend-port B");
                    System.exit(2);
            }
        }
        Epoll.ensureAvailability();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        int backend = backendPort;
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Frontend(backend));
                    }
                })
                .bind(host, port).sync().channel();
        System.out.println("netty proxy (epoll) listening on " + host + ":"
                + ((java.net.InetSocketAddress) server.localAddress()).getPort() + " -> 127.0.0.1:" + backendPort);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close().awaitUninterruptibly();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
        }));
        server.closeFuture().sync();
    }
}

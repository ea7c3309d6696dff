// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 peers: a line echo with {@link LineBasedFrameDecoder} on the epoll, io_uring or
 * NIO transport, set up as Netty's own examples and benchmarks do: one event-loop thread (the
 * same group accepts and serves, to match pollwire's {@code --loops 1}), the pooled allocator
 * (or the 4.2 default adaptive one, by flag), {@code TCP_NODELAY}, writes without a promise
 * and one flush per read batch ({@code channelReadComplete}), and autoRead switched off while
 * the channel is not writable (backpressure, as every peer here has).
 */
public final class NettyEcho implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel serverChannel;

    /** Writes each line (delimiter kept) back; flushes once per read batch. */
    @ChannelHandler.Sharable
    static final class EchoLines extends ChannelInboundHandlerAdapter {
        static final EchoLines INSTANCE = new EchoLines();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        private static final java.util.concurrent.atomic.AtomicBoolean REPORTED =
                new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (REPORTED.compareAndSet(false, true)) {
                System.err.println("closing a connection after: " + cause + " (reported once)");
            }
            ctx.close();
        }
    }

    private NettyEcho(EventLoopGroup group, Channel serverChannel) {
        this.group = group;
        this.serverChannel = serverChannel;
    }

    /**
     * Starts an echo server.
     *
     * @param transport epoll, io_uring or nio
     * @param allocator pooled or adaptive
     */
    public static NettyEcho start(String host, int port, String transport, String allocator)
            throws InterruptedException {
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channelClass;
        switch (transport) {
            case "epoll":
                Epoll.ensureAvailability();
                factory = EpollIoHandler.newFactory();
                channelClass = EpollServerSocketChannel.class;
                break;
            case "io_uring":
                IoUring.ensureAvailability();
                factory = IoUringIoHandler.newFactory();
                channelClass = IoUringServerSocketChannel.class;
                break;
            case "nio":
                factory = NioIoHandler.newFactory();
                channelClass = NioServerSocketChannel.class;
                break;
            default:
                throw new IllegalArgumentException("transport must be epoll, io_uring or nio: " + transport);
        }
        ByteBufAllocator alloc;
        switch (allocator) {
            case "pooled":
                alloc = PooledByteBufAllocator.DEFAULT;
                break;
            case "adaptive":
                alloc = new AdaptiveByteBufAllocator();
                break;
            default:
                throw new IllegalArgumentException("allocator must be pooled or adaptive: " + allocator);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(channelClass)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024, false, false),
                                    EchoLines.INSTANCE);
                        }
                    });
            Channel ch = b.bind(host, port).sync().channel();
            return new NettyEcho(group, ch);
        } catch (Throwable e) {
            // bind() failures arrive as undeclared checked exceptions: catch all of them, or
            // the non-daemon event-loop thread keeps a failed server's JVM alive
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** @return the bound port */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** {@code --host H --port P --transport epoll|io_uring|nio [--allocator pooled|adaptive]} */
    public static void main(String[] args) throws Exception {
        PeerArgs a = PeerArgs.parse(args);
        NettyEcho server = start(a.host, a.port, a.transport, a.allocator);
        System.out.println("netty " + io.netty.util.Version.identify().getOrDefault("netty-transport",
                null) + " echo (" + a.transport + ", " + a.allocator + ") listening on " + a.host + ":"
                + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // How much direct memory the allocator held at the end: its pools keep chunks.
            System.out.println("netty direct memory in use at exit: "
                    + io.netty.util.internal.PlatformDependent.usedDirectMemory() / (1024 * 1024) + " MiB");
            server.close();
        }));
        server.serverChannel.closeFuture().sync();
    }
}

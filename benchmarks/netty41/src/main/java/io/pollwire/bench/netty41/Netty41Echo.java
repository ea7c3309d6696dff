// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.netty41;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.1 epoll peer (4.1 is still the most deployed line): the same line echo and the
 * same setup as the 4.2 peer (one event-loop thread serving accept and I/O, pooled allocator,
 * TCP_NODELAY, void-promise writes, one flush per read batch, autoRead off while unwritable).
 *
 * <p>{@code java -jar netty41-echo.jar --host H --port P}
 */
public final class Netty41Echo {
    private Netty41Echo() {}

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

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 7000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host":
                    host = args[i + 1];
                    break;
                case "--port":
                    port = Integer.parseInt(args[i + 1]);
                    break;
                default:
                    System.err.println("usage: --host H --port P");
                    System.exit(2);
            }
        }
        Epoll.ensureAvailability();
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024, false, false),
                                EchoLines.INSTANCE);
                    }
                });
        Channel server;
        try {
            server = b.bind(host, port).sync().channel();
        } catch (Throwable e) {
            // bind() failures arrive as undeclared checked exceptions: without this the
            // non-daemon event-loop thread would keep a failed server's JVM alive
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        System.out.println("netty " + io.netty.util.Version.identify().get("netty-transport")
                + " echo (epoll, pooled) listening on " + host + ":"
                + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // How much direct memory the allocator held at the end: its pools keep chunks.
            System.out.println("netty direct memory in use at exit: "
                    + io.netty.util.internal.PlatformDependent.usedDirectMemory() / (1024 * 1024) + " MiB");
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }));
        server.closeFuture().sync();
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 side of the RESP comparison ({@code benchmarks/redis.sh}): what a Netty user
 * writes with {@code netty-codec-redis}: {@link RedisDecoder} (inline commands on),
 * {@link RedisBulkStringAggregator} and {@link RedisArrayAggregator} (so each command arrives
 * as one {@link ArrayRedisMessage}), {@link RedisEncoder}; the pooled allocator; one event-loop
 * thread for accept and I/O (= pollwire's {@code --loops 1}); writes flushed once per read batch.
 *
 * <p>Commands: GET, SET (no options), PING, and CONFIG GET (answered like pollwire's example,
 * for redis-benchmark's connect-time query). The store is a {@link HashMap} keyed by heap copies
 * of the key bytes; a lookup uses the request's own buffer as the key (ByteBuf equality), a SET
 * stores heap copies of key and value.
 *
 * <p>{@code --host H --port P [--transport epoll|nio]}; port 0 picks a free port. Prints
 * {@code netty redis listening on HOST:PORT (...)}.
 */
public final class NettyRedis {
    private static final RedisMessage OK = new SimpleStringRedisMessage("OK");
    private static final RedisMessage PONG = new SimpleStringRedisMessage("PONG");

    private NettyRedis() {}

    /** {@code --host H --port P [--transport epoll|nio]} */
    public static void main(String[] args) throws Exception {
        PeerArgs a = PeerArgs.parse(args);
        NettyTransports t = NettyTransports.of(a.transport);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, t.ioHandlers);
        Map<ByteBuf, ByteBuf> store = new HashMap<>(); // touched by the one event loop only
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(t.serverChannel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        @SuppressWarnings("deprecation") // RedisArrayAggregator: what the issue asks to compare
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new RedisDecoder(true), new RedisBulkStringAggregator(),
                                    new RedisArrayAggregator(), new RedisEncoder(), new CommandHandler(store));
                        }
                    })
                    .bind(new InetSocketAddress(a.host, a.port)).sync().channel();
            InetSocketAddress local = (InetSocketAddress) server.localAddress();
            io.netty.util.Version v = io.netty.util.Version.identify().get("netty-transport");
            System.out.println("netty redis listening on " + a.host + ":" + local.getPort() + " (transport "
                    + a.transport + ", pooled, 1 thread, netty " + (v == null ? "?" : v.artifactVersion()) + ")");
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.close().awaitUninterruptibly(5, TimeUnit.SECONDS)));
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static final class CommandHandler extends SimpleChannelInboundHandler<RedisMessage> {
        private final Map<ByteBuf, ByteBuf> store;

        CommandHandler(Map<ByteBuf, ByteBuf> store) {
            this.store = store;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
            if (!(msg instanceof ArrayRedisMessage) || ((ArrayRedisMessage) msg).children().isEmpty()) {
                ctx.write(new ErrorRedisMessage("ERR expected a command array"), ctx.voidPromise());
                return;
            }
            List<RedisMessage> args = ((ArrayRedisMessage) msg).children();
            ByteBuf name = ((FullBulkStringRedisMessage) args.get(0)).content();
            RedisMessage reply;
            if (is(name, "GET") && args.size() == 2) {
                ByteBuf value = store.get(arg(args, 1));
                reply = value == null ? FullBulkStringRedisMessage.NULL_INSTANCE
                        : new FullBulkStringRedisMessage(value.retainedDuplicate());
            } else if (is(name, "SET") && args.size() == 3) {
                ByteBuf key = arg(args, 1);
                ByteBuf value = Unpooled.copiedBuffer(arg(args, 2));
                ByteBuf old = store.get(key);
                if (old != null) {
                    store.put(key, value); // keeps the map's own key object
                    old.release();
                } else {
                    store.put(Unpooled.copiedBuffer(key), value);
                }
                reply = OK;
            } else if (is(name, "PING")) {
                reply = PONG;
            } else if (is(name, "CONFIG") && args.size() >= 3) {
                List<RedisMessage> pairs = new ArrayList<>();
                for (int i = 2; i < args.size(); i++) {
                    String p = arg(args, i).toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
                    if (p.equals("save") || p.equals("appendonly")) {
                        pairs.add(bulk(p));
                        pairs.add(bulk(p.equals("save") ? "" : "no"));
                    }
                }
                reply = new ArrayRedisMessage(pairs);
            } else {
                reply = new ErrorRedisMessage("ERR unknown command '" + name.toString(StandardCharsets.US_ASCII) + "'");
            }
            ctx.write(reply, ctx.voidPromise());
        }

        private static ByteBuf arg(List<RedisMessage> args, int i) {
            return ((FullBulkStringRedisMessage) args.get(i)).content();
        }

        private static boolean is(ByteBuf name, String command) {
            int n = command.length();
            if (name.readableBytes() != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if ((name.getByte(name.readerIndex() + i) & 0xDF) != command.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static RedisMessage bulk(String s) {
            return new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ReferenceCountUtil.release(cause);
            ctx.close();
        }
    }
}

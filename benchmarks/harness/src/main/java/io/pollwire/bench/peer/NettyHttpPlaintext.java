// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 side of the HTTP comparison ({@code benchmarks/http.sh}): the usual Netty answer
 * to TechEmpower's plaintext test, to load side by side with pollwire's HTTP example.
 * {@link HttpServerCodec}, one shared body buffer, a Date header refreshed once per second,
 * header validation off (the values are constants), writes flushed once per read batch (so
 * pipelined responses share a syscall), one event-loop thread for accept and I/O (= pollwire's
 * {@code --loops 1}).
 *
 * <p>{@code --host H --port P [--transport epoll|nio] [--allocator pooled|adaptive]}; port 0
 * picks a free port. Prints {@code netty http listening on HOST:PORT (...)}.
 */
public final class NettyHttpPlaintext {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached(String.valueOf(HELLO.length));
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private static final DefaultHttpHeadersFactory HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final DefaultHttpHeadersFactory TRAILERS =
            DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private static volatile AsciiString date = now();

    private NettyHttpPlaintext() {}

    /** {@code --host H --port P [--transport epoll|nio] [--allocator pooled|adaptive]} */
    public static void main(String[] args) throws Exception {
        PeerArgs a = PeerArgs.parse(args);
        NettyTransports t = NettyTransports.of(a.transport);
        ByteBufAllocator alloc;
        switch (a.allocator) {
            case "pooled":
                alloc = PooledByteBufAllocator.DEFAULT;
                break;
            case "adaptive":
                alloc = new AdaptiveByteBufAllocator();
                break;
            default:
                throw new IllegalArgumentException("allocator must be pooled or adaptive: " + a.allocator);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, t.ioHandlers);
        try {
            group.scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
            ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HELLO));
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(t.serverChannel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.ALLOCATOR, alloc)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192))
                                    .addLast(new PlaintextHandler(body));
                        }
                    })
                    .bind(new InetSocketAddress(a.host, a.port)).sync().channel();
            InetSocketAddress local = (InetSocketAddress) server.localAddress();
            System.out.println("netty http listening on " + a.host + ":" + local.getPort() + " (transport "
                    + a.transport + ", " + a.allocator + ", 1 thread, netty "
                    + nettyVersion() + ")");
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.close().awaitUninterruptibly(5, TimeUnit.SECONDS)));
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static String nettyVersion() {
        // the shaded jar keeps one META-INF/io.netty.versions.properties: netty-transport's
        io.netty.util.Version v = io.netty.util.Version.identify().get("netty-transport");
        return v == null ? "?" : v.artifactVersion();
    }

    private static AsciiString now() {
        return new AsciiString(IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }

    /** GET /plaintext: Hello, World!; anything else: 404. Keep-alive per HTTP rules. */
    private static final class PlaintextHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final ByteBuf body;

        PlaintextHandler(ByteBuf body) {
            this.body = body;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest)) {
                return; // request bodies (HttpContent) are ignored
            }
            HttpRequest request = (HttpRequest) msg;
            boolean found = request.uri().equals("/plaintext");
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    found ? body.duplicate() : Unpooled.EMPTY_BUFFER,
                    HEADERS, TRAILERS);
            response.headers()
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                    .set(HttpHeaderNames.CONTENT_LENGTH, found ? CONTENT_LENGTH : HttpHeaderValues.ZERO);
            if (!HttpUtil.isKeepAlive(request)) {
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.write(response, ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

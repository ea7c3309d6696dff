package io.pollwire.bench.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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
 * The usual Netty answer to TechEmpower's plaintext test, for comparison with pollwire's HTTP
 * example: {@link HttpServerCodec}, one shared body buffer, a Date header refreshed once per
 * second, writes flushed once per read batch (so pipelined responses share a syscall).
 *
 * <p>{@code java -jar target/pollwire-benchmarks-http-netty-*.jar PORT THREADS [epoll|nio]};
 * prints {@code netty http listening on 127.0.0.1:PORT (...)}.
 */
public final class NettyPlaintextServer {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached(String.valueOf(HELLO.length));
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final DefaultHttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private static volatile AsciiString date = now();

    private NettyPlaintextServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        boolean epoll = args.length < 3 || args[2].equals("epoll");
        if (epoll && !Epoll.isAvailable()) {
            throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
        }
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, ioHandlers);
        try {
            group.scheduleAtFixedRate(() -> date = now(), 1, 1, TimeUnit.SECONDS);
            ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(HELLO));
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192))
                                    .addLast(new PlaintextHandler(body));
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            InetSocketAddress local = (InetSocketAddress) server.localAddress();
            System.out.println("netty http listening on 127.0.0.1:" + local.getPort() + " (transport "
                    + (epoll ? "epoll" : "nio") + ", " + threads + " threads, netty " + nettyVersion() + ")");
            System.out.flush();
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    private static String nettyVersion() {
        io.netty.util.Version v = io.netty.util.Version.identify().get("netty-codec-http");
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
                return; // request bodies (LastHttpContent) are ignored
            }
            HttpRequest request = (HttpRequest) msg;
            boolean found = request.uri().equals("/plaintext");
            // Header validation off, as servers built for this benchmark do: the values are constants.
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    found ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    found ? body.duplicate() : Unpooled.EMPTY_BUFFER,
                    HEADERS, TRAILERS);
            response.headers()
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, date)
                    .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                    .set(HttpHeaderNames.CONTENT_LENGTH, found ? CONTENT_LENGTH : HttpHeaderValues.ZERO);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!keepAlive) {
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

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.jmh;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.DeferredReply;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a deferred reply costs (issue 13): 64 pipelined 12-byte requests in one write, all 64
 * replies read back, per reply, against a one-loop pollwire server whose handler answers
 * <ul>
 *   <li>{@code inline}: {@code conn.write(reply)} on the loop, the baseline;
 *   <li>{@code deferred-loop}: {@code conn.deferReply().send(reply)} on the loop at once (the
 *       place, its copy and its release, no thread hop);
 *   <li>{@code deferred-executor}: {@code deferReply()} on the loop, {@code send} from a
 *       single-thread executor (the hop through the connection's hand-off and back).
 * </ul>
 * The difference to {@code inline} is the cost per reply. Client and server share the
 * machine's cores, as in {@link EchoRoundTripBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DeferredReplyBenchmark {
    private static final byte[] LINE = "0123456789a\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 64;

    @Param({"epoll", "nio"})
    String transport;

    @Param({"inline", "deferred-loop", "deferred-executor"})
    String reply;

    private Server server;
    private ExecutorService executor;
    private SocketChannel client;
    private final ByteBuffer batch = ByteBuffer.allocateDirect(LINE.length * BATCH);
    private final ByteBuffer in = ByteBuffer.allocateDirect(LINE.length * BATCH);

    @Setup(Level.Trial)
    public void start() throws Exception {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jmh-reply-executor");
            t.setDaemon(true);
            return t;
        });
        ConnectionHandler handler;
        switch (reply) {
            case "inline":
                handler = (conn, frame) -> conn.write(LINE);
                break;
            case "deferred-loop":
                handler = (conn, frame) -> conn.deferReply().send(LINE);
                break;
            case "deferred-executor":
                handler = (Connection conn, ByteBuffer frame) -> {
                    DeferredReply r = conn.deferReply();
                    executor.execute(() -> r.send(LINE));
                };
                break;
            default:
                throw new IllegalArgumentException(reply);
        }
        server = Server.builder()
                .transport(transport.equals("epoll") ? Transport.EPOLL : Transport.NIO)
                .bind("127.0.0.1", 0)
                .loops(1)
                .framing(Framing.lines())
                .daemonThreads(true)
                .name("jmh-deferred")
                .handler(handler)
                .start();
        client = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.localAddress().getPort()));
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        for (int i = 0; i < BATCH; i++) {
            batch.put(LINE);
        }
        batch.flip();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        server.close();
        executor.shutdownNow();
    }

    /** 64 requests in one write, all 64 replies back; the score is per reply. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelined64() throws IOException {
        batch.clear();
        while (batch.hasRemaining()) {
            client.write(batch);
        }
        int got = 0;
        while (got < LINE.length * BATCH) {
            in.clear();
            int n = client.read(in);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            got += n;
        }
        return in.get(0);
    }
}

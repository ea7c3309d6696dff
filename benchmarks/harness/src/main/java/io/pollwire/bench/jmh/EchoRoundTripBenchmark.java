// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.jmh;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Server;
import io.pollwire.Transport;
import io.pollwire.bench.peer.HandNioEcho;
import io.pollwire.bench.peer.NettyEcho;
import io.pollwire.codec.Framing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * Echo over loopback against an in-process server: one blocking client connection sends a
 * 12-byte line and waits for it ({@code roundTrip}), or sends 64 lines in one write and reads
 * them all back ({@code pipelined64}, reported per line). The servers: pollwire on epoll and
 * on NIO, the hand-written NIO echo, Netty 4.2 on epoll and NIO (pooled allocator, one loop).
 *
 * <p>JMH's {@code -prof gc} counts the client thread; the servers' own allocation is measured
 * here with {@code ThreadMXBean.getThreadAllocatedBytes} on their event-loop threads and
 * printed after each iteration as {@code server B/line}: the echo hot path's figure.
 * Client and server share the machine's cores: for pinned, cross-process numbers use run.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class EchoRoundTripBenchmark {
    private static final byte[] LINE = "0123456789a\n".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 64;

    @Param({"pollwire-epoll", "pollwire-nio", "hand-nio", "netty42-epoll", "netty42-nio"})
    String server;

    private AutoCloseable running;
    private int port;
    private SocketChannel client;
    private final ByteBuffer one = ByteBuffer.allocateDirect(LINE.length);
    private final ByteBuffer batch = ByteBuffer.allocateDirect(LINE.length * BATCH);
    private final ByteBuffer in = ByteBuffer.allocateDirect(LINE.length * BATCH);
    private List<Thread> serverThreads;
    private long linesEchoed;
    private long linesAtIterationStart;
    private long allocatedAtIterationStart;

    /** Echoes each line back without copying it. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            connection.echo();
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        List<Thread> before = new ArrayList<>(Thread.getAllStackTraces().keySet());
        Predicate<Thread> isServerThread;
        switch (server) {
            case "pollwire-epoll":
            case "pollwire-nio": {
                Server s = Server.builder()
                        .transport(server.endsWith("epoll") ? Transport.EPOLL : Transport.NIO)
                        .bind("127.0.0.1", 0)
                        .loops(1)
                        .framing(Framing.lines())
                        .idleTimeout(java.time.Duration.ZERO)
                        .daemonThreads(true)
                        .name("jmh-pollwire")
                        .handler(new Echo())
                        .start();
                running = s::close;
                port = s.localAddress().getPort();
                isServerThread = t -> t.getName().startsWith("jmh-pollwire-loop");
                break;
            }
            case "hand-nio": {
                HandNioEcho s = HandNioEcho.start("127.0.0.1", 0);
                running = s;
                port = s.port();
                isServerThread = t -> t.getName().equals("hand-nio-echo");
                break;
            }
            case "netty42-epoll":
            case "netty42-nio": {
                NettyEcho s = NettyEcho.start("127.0.0.1", 0, server.substring("netty42-".length()), "pooled");
                running = s;
                port = s.port();
                isServerThread = t -> !before.contains(t) && t instanceof io.netty.util.concurrent.FastThreadLocalThread;
                break;
            }
            default:
                throw new IllegalArgumentException(server);
        }
        client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        one.put(LINE).flip();
        for (int i = 0; i < BATCH; i++) {
            batch.put(LINE);
        }
        batch.flip();
        roundTrip(); // the server's threads exist once the first line went through
        serverThreads = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (isServerThread.test(t)) {
                serverThreads.add(t);
            }
        }
        if (serverThreads.isEmpty()) {
            throw new IllegalStateException("no server thread found for " + server);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        running.close();
    }

    private long serverAllocatedBytes() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : serverThreads) {
            sum += mx.getThreadAllocatedBytes(t.getId());
        }
        return sum;
    }

    @Setup(Level.Iteration)
    public void iterationStart() {
        linesAtIterationStart = linesEchoed;
        allocatedAtIterationStart = serverAllocatedBytes();
    }

    @TearDown(Level.Iteration)
    public void iterationEnd() {
        long lines = linesEchoed - linesAtIterationStart;
        long bytes = serverAllocatedBytes() - allocatedAtIterationStart;
        System.out.printf(Locale.ROOT, "  [%s] server threads allocated %d bytes for %d lines: %.3f B/line%n",
                server, bytes, lines, lines == 0 ? 0.0 : (double) bytes / lines);
    }

    /** One line out, its echo back. */
    @Benchmark
    public int roundTrip() throws IOException {
        one.clear();
        client.write(one);
        readBack(LINE.length);
        linesEchoed++;
        return in.get(0);
    }

    /** 64 lines in one write, all 64 echoes back; the score is per line. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int pipelined64() throws IOException {
        batch.clear();
        while (batch.hasRemaining()) {
            client.write(batch);
        }
        readBack(LINE.length * BATCH);
        linesEchoed += BATCH;
        return in.get(0);
    }

    private void readBack(int bytes) throws IOException {
        int got = 0;
        while (got < bytes) {
            in.clear();
            int n = client.read(in);
            if (n < 0) {
                throw new IOException("server closed the connection");
            }
            got += n;
        }
    }
}

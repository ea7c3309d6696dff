// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.jmh;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;
import io.pollwire.example.resp.RespExample;
import io.pollwire.loop.ReplayLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * The per-frame path of issue 17, without the kernel: a running pollwire event loop
 * ({@link ReplayLoop}) reads the same {@code framesPerRead} pipelined requests again and again,
 * its framer lists them, the handler's {@code onFrame} runs for each and writes a short reply,
 * and the loop sends each read's replies with one (counted, not performed) write. Score = ns per
 * frame (request), loop thread only; the requests are handled on the loop's thread while the
 * benchmark thread waits, {@value #FRAMES} frames per invocation.
 *
 * <ul>
 *   <li>{@code lines-bytes}: 12-byte lines, {@code conn.write(byte[])} of a constant
 *       {@code +OK\r\n};
 *   <li>{@code lines-buffer}: the same lines, {@code conn.write(ByteBuffer)} of a reply
 *       computed per line ({@code :11\r\n}, the line's length) in a reused heap buffer;
 *   <li>{@code lines-echo-all}: the same lines sent back whole with {@code Frames.echoAll()}
 *       (the echo server's path: no frame listed, no reply copied, whatever the lines per read);
 *   <li>{@code resp-get} / {@code resp-set}: the RESP example's framer and handler, as
 *       {@code redis-benchmark -t get,set} sends them ({@code GET key:NNNNNNNNNNNN} of stored
 *       keys, {@code SET key:NNNNNNNNNNNN xxx}).
 * </ul>
 * Run with {@code -prof gc}: the loop allocates nothing per frame, so B/op stays near 0 (the
 * benchmark thread's park/unpark is all there is). The score is wall time, which moves with
 * whatever else wants the cores; after every iteration the loop thread's own CPU time per frame
 * is printed ({@code loop thread CPU ... ns/frame}), the steadier figure on a shared machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+UseG1GC"})
public class PerFrameBenchmark {
    static final int FRAMES = 16384;
    private static final byte[] LINE = "0123456789a\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    @Param({"lines-bytes", "lines-buffer", "lines-echo-all", "resp-get", "resp-set"})
    String workload;

    @Param({"1", "16", "128"})
    int framesPerRead;

    private ReplayLoop loop;
    private int reads;

    @Setup(Level.Trial)
    public void start() throws Exception {
        reads = FRAMES / framesPerRead;
        int replyBytes;
        switch (workload) {
            case "lines-bytes":
                loop = new ReplayLoop(Framing.lines(), (conn, frame) -> conn.write(OK), repeat(framesPerRead, i -> LINE));
                replyBytes = OK.length;
                break;
            case "lines-echo-all":
                loop = new ReplayLoop(Framing.lines(), new EchoAll(), repeat(framesPerRead, i -> LINE));
                replyBytes = LINE.length;
                break;
            case "lines-buffer":
                loop = new ReplayLoop(Framing.lines(), new LengthReply(), repeat(framesPerRead, i -> LINE));
                replyBytes = ":11\r\n".length();
                break;
            case "resp-get":
            case "resp-set":
                loop = new ReplayLoop(RespExample.framing(RespExample.DEFAULT_MAX_ARGS, RespExample.DEFAULT_MAX_BULK),
                        RespExample.handler(1), repeat(framesPerRead, i -> command("SET", i, "xxx")));
                check(1, framesPerRead * OK.length); // the keys exist: GETs find values
                if (workload.equals("resp-get")) {
                    loop.replay(repeat(framesPerRead, i -> command("GET", i, null)));
                    replyBytes = "$3\r\nxxx\r\n".length();
                } else {
                    replyBytes = OK.length;
                }
                break;
            default:
                throw new IllegalArgumentException(workload);
        }
        check(1, (long) framesPerRead * replyBytes);
    }

    /** Fails the run unless {@code n} reads produce exactly the replies expected. */
    private void check(int n, long expectedBytes) {
        long before = loop.written();
        long got = loop.reads(n) - before;
        if (got != n * expectedBytes) {
            throw new IllegalStateException(workload + ": " + n + " reads wrote " + got + " bytes, expected "
                    + n * expectedBytes);
        }
    }

    private long iterationCpu;
    private long iterationReads;

    @Setup(Level.Iteration)
    public void startIteration() {
        iterationCpu = loop.loopCpuNanos();
        iterationReads = loop.readsDone();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        long frames = (loop.readsDone() - iterationReads) * framesPerRead;
        double cpu = (double) (loop.loopCpuNanos() - iterationCpu) / frames;
        System.out.printf("%nloop thread CPU %.2f ns/frame (%s, %d per read)%n", cpu, workload, framesPerRead);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        loop.close();
    }

    /** {@value #FRAMES} requests, {@code framesPerRead} per read; the score is per request. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long frames() {
        return loop.reads(reads);
    }

    /** Sends every read's lines back as they came. */
    private static final class EchoAll implements ConnectionHandler {
        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            connection.echo();
        }

        @Override
        public void onFrames(Connection connection, io.pollwire.Frames frames) {
            frames.echoAll();
        }
    }

    /** Answers each line with {@code :<length>\r\n}, computed in a reused buffer. */
    private static final class LengthReply implements ConnectionHandler {
        private final ByteBuffer reply = ByteBuffer.allocate(24);

        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            ByteBuffer r = reply;
            r.clear();
            r.put((byte) ':');
            int n = frame.remaining();
            if (n >= 10) {
                r.put((byte) ('0' + n / 10 % 10));
            }
            r.put((byte) ('0' + n % 10)).put((byte) '\r').put((byte) '\n').flip();
            connection.write(r);
        }
    }

    /** A RESP array as redis-benchmark sends it: {@code CMD key:NNNNNNNNNNNN [value]}. */
    private static byte[] command(String name, int i, String value) {
        String key = String.format("key:%012d", i * 7919 % 100000);
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(value == null ? 2 : 3).append("\r\n");
        for (String arg : value == null ? new String[] {name, key} : new String[] {name, key, value}) {
            sb.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] repeat(int n, java.util.function.IntFunction<byte[]> item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(item.apply(i));
        }
        return out.toByteArray();
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.jmh;

import io.pollwire.codec.FrameBatch;
import io.pollwire.codec.Framer;
import io.pollwire.codec.FramingException;
import io.pollwire.codec.LineFramer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The line framer over one read's worth of input, as the event loop calls it: a direct,
 * little-endian buffer (like the loop's {@code IoBuffer}) holding {@code linesPerRead} 12-byte
 * lines. With {@code split}, the last line arrives in two reads (the framer first reports
 * NEED_MORE over its first half, then finds it when the rest is appended), the path a
 * partial line takes. One operation = one read's lines; divide by {@code linesPerRead} for
 * the cost per line. Run with {@code -prof gc}: the hot path must allocate 0 B/op.
 *
 * <p>Three ways to call it: {@code frameOneRead} calls {@code next()} per line (how a custom
 * loop would); {@code batchListed} calls {@code nextBatch()} as the event loop does and then
 * asks for every line's bounds (what a handler that reads each line costs);
 * {@code batchEchoAll} calls {@code nextBatch()} and only takes the batch's end, as
 * {@code Frames.echoAll()} does. {@code indexOfSwar}/{@code indexOfBytes} compare the 8-bytes-
 * at-a-time newline search with a plain byte loop over the same read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LineFramerBenchmark {
    @Param({"1", "16", "128"})
    int linesPerRead;

    @Param({"false", "true"})
    boolean split;

    private ByteBuffer buf;
    private Framer framer;
    private final FrameBatch batch = new FrameBatch(4096);
    private int end;
    private int splitAt;

    @Setup
    public void setup() {
        byte[] line = "0123456789a\n".getBytes(StandardCharsets.US_ASCII);
        buf = ByteBuffer.allocateDirect(linesPerRead * line.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < linesPerRead; i++) {
            buf.put(line);
        }
        end = buf.position();
        splitAt = end - line.length / 2;
        framer = new LineFramer(64 * 1024);
    }

    /** @return frames found plus the last frame's end, so nothing is dead code */
    @Benchmark
    public int frameOneRead() throws FramingException {
        Framer f = framer;
        ByteBuffer b = buf;
        int pos = 0;
        int frames = 0;
        int next;
        if (split) {
            while ((next = f.next(b, pos, splitAt)) >= 0) {
                frames++;
                pos = next;
            }
        }
        while ((next = f.next(b, pos, end)) >= 0) {
            frames++;
            pos = next;
        }
        return frames + f.frameEnd();
    }

    /** @return lines found plus the sum of their ends, so nothing is dead code */
    @Benchmark
    public int batchListed() throws FramingException {
        Framer f = framer;
        ByteBuffer b = buf;
        FrameBatch fb = batch;
        int pos = 0;
        int sum = 0;
        if (split) {
            fb.clear(pos);
            pos = f.nextBatch(b, pos, splitAt, fb);
            for (int i = 0, n = fb.count(); i < n; i++) {
                sum += fb.end(i);
            }
        }
        fb.clear(pos);
        f.nextBatch(b, pos, end, fb);
        int n = fb.count();
        for (int i = 0; i < n; i++) {
            sum += fb.end(i);
        }
        return n + sum;
    }

    /** @return the end of the lines found, all an echo of the whole batch needs */
    @Benchmark
    public int batchEchoAll() throws FramingException {
        Framer f = framer;
        ByteBuffer b = buf;
        FrameBatch fb = batch;
        int pos = 0;
        if (split) {
            fb.clear(pos);
            pos = f.nextBatch(b, pos, splitAt, fb);
        }
        fb.clear(pos);
        f.nextBatch(b, pos, end, fb);
        return fb.streamEnd();
    }

    /** @return newlines found by the framer's 8-bytes-at-a-time search over the read */
    @Benchmark
    public int indexOfSwar() {
        ByteBuffer b = buf;
        int n = 0;
        int at = 0;
        while ((at = LineFramer.indexOfNewline(b, at, end)) >= 0) {
            n++;
            at++;
        }
        return n;
    }

    /** @return newlines found by a byte-at-a-time loop over the same read */
    @Benchmark
    public int indexOfBytes() {
        ByteBuffer b = buf;
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (b.get(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}

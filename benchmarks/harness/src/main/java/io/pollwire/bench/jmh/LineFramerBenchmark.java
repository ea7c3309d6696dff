package io.pollwire.bench.jmh;

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
}

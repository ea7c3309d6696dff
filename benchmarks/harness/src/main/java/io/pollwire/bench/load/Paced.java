// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Open loop at a fixed total rate over many connections, with latency measured from each line's
 * <em>intended</em> send time, so a stalled server (or client) cannot hide its stall by slowing
 * the sender down (no coordinated omission).
 *
 * <p>The j-th line is due at {@code t0 + j / rate} on connection {@code j mod N}; its 11 payload
 * bytes carry that intended time and how late the sender actually was (microseconds, 33 + 30
 * bits, 6 bits per byte in a newline-free alphabet), so the receiving thread computes latency
 * from the echo alone. A sender thread writes lines when due (late lines keep their intended
 * time); a receiver thread selects, decodes and records into HdrHistograms. The headline
 * latency is from the intended time; the latency from the actual send is reported beside it
 * (it leaves out the client's own lateness, which on a shared machine can dominate the tail),
 * and so is the sender's lag.
 */
final class Paced {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII);
    private static final int[] DECODE = new int[128];
    private static final int PAYLOAD = Pipelined.LINE_BYTES - 1;
    private static final long DRAIN_NANOS = 3_000_000_000L;
    private static final int LAG_BITS = 30;
    private static final long LAG_MAX_MICROS = (1L << LAG_BITS) - 1;

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = i;
        }
    }

    private Paced() {}

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        final byte[] partial = new byte[Pipelined.LINE_BYTES];
        int partialLength;
        long sent; // written by the sender
        long received; // by the receiver

        Conn(SocketChannel channel) {
            this.channel = channel;
            out.flip();
        }
    }

    static void encode(long value, ByteBuffer dst) {
        for (int i = PAYLOAD - 1; i >= 0; i--) {
            dst.put(dst.position() + i, ALPHABET[(int) (value & 63)]);
            value >>>= 6;
        }
        dst.put(dst.position() + PAYLOAD, (byte) '\n');
        dst.position(dst.position() + Pipelined.LINE_BYTES);
    }

    /** @return the value, or -1 when the line is not one of ours */
    static long decode(byte[] line) {
        long v = 0;
        for (int i = 0; i < PAYLOAD; i++) {
            int d = line[i] < 0 ? -1 : DECODE[line[i]];
            if (d < 0) {
                return -1;
            }
            v = (v << 6) | d;
        }
        return v;
    }

    /** Decodes echoes as they arrive and records their latency. */
    private static final class Receiver implements Runnable, Consumer<SelectionKey> {
        final Selector selector;
        final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        final Histogram latency = new Histogram(600_000_000_000L, 3);
        final Histogram fromActualSend = new Histogram(600_000_000_000L, 3);
        final long t0;
        final long measureFrom;
        final long measureUntil;
        volatile boolean senderDone;
        volatile long totalSent;
        long totalReceived;
        long measured;
        long now;
        long cpuNanos;
        Throwable failure;

        Receiver(Selector selector, long t0, long measureFrom, long measureUntil) {
            this.selector = selector;
            this.t0 = t0;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
        }

        @Override
        public void run() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = -1;
            try {
                while (true) {
                    selector.select(this, 10);
                    long t = System.nanoTime();
                    if (cpu0 < 0 && t - measureFrom >= 0) {
                        cpu0 = mx.getCurrentThreadCpuTime();
                    }
                    if (cpu0 >= 0 && cpuNanos == 0 && t - measureUntil >= 0) {
                        cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
                    }
                    if (senderDone && (totalReceived == totalSent || t - measureUntil > DRAIN_NANOS)) {
                        return;
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        @Override
        public void accept(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                in.clear();
                int n = c.channel.read(in);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                now = System.nanoTime();
                byte[] line = c.partial;
                int len = c.partialLength;
                for (int i = 0; i < n; i++) {
                    byte b = in.get(i);
                    if (len == line.length) {
                        throw new IOException("echoed line longer than sent");
                    }
                    line[len++] = b;
                    if (b == '\n') {
                        long v = len == line.length ? decode(line) : -1;
                        if (v < 0) {
                            throw new IOException("echoed line is not one that was sent");
                        }
                        long intended = t0 + (v >>> LAG_BITS) * 1000;
                        long sent = intended + (v & LAG_MAX_MICROS) * 1000;
                        if (intended - measureFrom >= 0 && intended - measureUntil < 0) {
                            latency.recordValue(Math.max(0, now - intended));
                            fromActualSend.recordValue(Math.max(0, now - sent));
                            measured++;
                        }
                        c.received++;
                        totalReceived++;
                        len = 0;
                    }
                }
                c.partialLength = len;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static Result run(LoadOptions o) throws Exception {
        Conn[] conns = new Conn[o.connections];
        Selector selector = Selector.open();
        try {
            // Connect and check each connection with one round trip before the clock starts.
            ByteBuffer probe = ByteBuffer.allocateDirect(Pipelined.LINE_BYTES);
            for (int i = 0; i < conns.length; i++) {
                SocketChannel ch = o.open();
                conns[i] = new Conn(ch);
                probe.clear();
                probe.put(Pipelined.LINE).flip();
                ch.write(probe);
                probe.clear();
                while (probe.hasRemaining()) {
                    if (ch.read(probe) < 0) {
                        throw new IOException("server closed connection " + i + " during setup");
                    }
                }
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, conns[i]);
            }
            long t0 = System.nanoTime() + 50_000_000L;
            long measureFrom = t0 + o.warmupNanos();
            long measureUntil = measureFrom + o.durationNanos();
            Receiver receiver = new Receiver(selector, t0, measureFrom, measureUntil);
            Thread rt = new Thread(receiver, "paced-receiver");
            rt.start();
            Measurement m = new Measurement(o);
            Histogram lag = new Histogram(600_000_000_000L, 3);
            long[] senderCpu = new long[1];
            long sent = send(conns, o.rate, t0, measureFrom, measureUntil, lag, m, senderCpu);
            receiver.totalSent = sent;
            receiver.senderDone = true;
            rt.join();
            if (receiver.failure != null) {
                throw new IOException("receiver failed", receiver.failure);
            }
            long lost = sent - receiver.totalReceived;
            double seconds = o.durationNanos() / 1e9;
            Result r = new Result()
                    .put("mode", "paced")
                    .put("server", o.label)
                    .put("connections", o.connections)
                    .put("target_rate", o.rate)
                    .put("achieved_rate", receiver.measured / seconds)
                    .put("not_echoed", lost);
            r.latencies("", receiver.latency);
            r.put("from_send_p50_us", receiver.fromActualSend.getValueAtPercentile(50) / 1000.0);
            r.put("from_send_p99_us", receiver.fromActualSend.getValueAtPercentile(99) / 1000.0);
            r.put("from_send_p999_us", receiver.fromActualSend.getValueAtPercentile(99.9) / 1000.0);
            r.put("sender_lag_p99_us", lag.getValueAtPercentile(99) / 1000.0);
            r.put("sender_lag_max_us", lag.getMaxValue() / 1000.0);
            m.report(r);
            r.put("client_io_cpu_pct", 100.0 * (senderCpu[0] + receiver.cpuNanos) / o.durationNanos());
            return r;
        } finally {
            selector.close();
            for (Conn c : conns) {
                if (c != null) {
                    c.channel.close();
                }
            }
        }
    }

    /** Writes every line when due until {@code until}; @return the number of lines sent */
    private static long send(Conn[] conns, double rate, long t0, long measureFrom, long until,
            Histogram lag, Measurement m, long[] cpuOut) throws IOException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double period = 1e9 / rate;
        int n = conns.length;
        long j = 0;
        boolean measuring = false;
        long cpu0 = 0;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now - measureFrom >= 0) {
                measuring = true;
                m.start();
                cpu0 = mx.getCurrentThreadCpuTime();
            }
            if (now - until >= 0) {
                m.stop();
                cpuOut[0] = mx.getCurrentThreadCpuTime() - cpu0;
                return j;
            }
            long intended;
            while ((intended = t0 + (long) (j * period)) - now <= 0 && intended - until < 0) {
                Conn c = conns[(int) (j % n)];
                // intended time rounded down to the microsecond, so lag is never negative
                long intendedMicros = (intended - t0) / 1000;
                long late = Math.max(0, System.nanoTime() - (t0 + intendedMicros * 1000));
                write(c, (intendedMicros << LAG_BITS) | Math.min(late / 1000, LAG_MAX_MICROS));
                if (measuring) {
                    lag.recordValue(late);
                }
                j++;
            }
            long sleep = intended - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(sleep);
            }
        }
    }

    /** Appends a line to the connection's output and writes what the socket takes. */
    private static void write(Conn c, long value) throws IOException {
        ByteBuffer out = c.out;
        out.compact();
        if (out.remaining() < Pipelined.LINE_BYTES) {
            throw new IOException("64 KiB of lines not taken by the server: it stopped reading");
        }
        encode(value, out);
        out.flip();
        c.channel.write(out);
        c.sent++;
    }
}

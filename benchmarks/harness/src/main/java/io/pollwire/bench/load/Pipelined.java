// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Throughput: every connection keeps up to {@code --window} bytes of 12-byte lines in flight
 * and counts the lines that come back. Built so that the client is not the limit: one selector
 * thread per {@code --threads}, pre-built direct buffers of lines written in large slices (at
 * least a quarter window per write), one large read per readiness event, newlines counted eight
 * bytes at a time, nothing allocated per event.
 */
final class Pipelined {
    static final byte[] LINE = "0123456789a\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int LINE_BYTES = LINE.length;

    private Pipelined() {}

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer pattern;
        SelectionKey key;
        long sent;
        long received;
        long lines;

        Conn(SocketChannel channel, ByteBuffer pattern) {
            this.channel = channel;
            this.pattern = pattern;
        }
    }

    /** One selector thread and its share of the connections. */
    private static final class Worker implements Runnable, Consumer<SelectionKey> {
        final Selector selector;
        final List<Conn> conns = new ArrayList<>();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(512 * 1024).order(ByteOrder.nativeOrder());
        final int window;
        final int minWrite;
        final long measureStart;
        final long end;
        long lines;
        long linesAtStart;
        long linesAtEnd;
        long startedAt;
        long endedAt;
        long cpuNanos;
        IOException failure;

        Worker(int window, long measureStart, long end) throws IOException {
            this.selector = Selector.open();
            this.window = window;
            this.minWrite = Math.max(LINE_BYTES, window / 4);
            this.measureStart = measureStart;
            this.end = end;
        }

        @Override
        public void run() {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = 0;
            boolean measuring = false;
            try {
                for (Conn c : conns) {
                    write(c);
                }
                while (true) {
                    selector.select(this, 5);
                    long now = System.nanoTime();
                    if (!measuring && now - measureStart >= 0) {
                        measuring = true;
                        linesAtStart = lines;
                        startedAt = now;
                        cpu0 = mx.getCurrentThreadCpuTime();
                    }
                    if (now - end >= 0) {
                        linesAtEnd = lines;
                        endedAt = now;
                        cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
                        break;
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (java.io.UncheckedIOException e) {
                failure = e.getCause();
            }
        }

        @Override
        public void accept(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                if (key.isReadable()) {
                    ByteBuffer buf = readBuffer;
                    buf.clear();
                    int n = c.channel.read(buf);
                    if (n < 0) {
                        throw new IOException("server closed the connection");
                    }
                    long k = Newlines.count(buf, 0, n);
                    c.received += n;
                    c.lines += k;
                    lines += k;
                }
                write(c);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Tops the window up in one large write; waits for OP_WRITE only when the socket is full. */
        private void write(Conn c) throws IOException {
            long free = window - (c.sent - c.received);
            if (free < minWrite) {
                setWriteInterest(c, false);
                return;
            }
            ByteBuffer p = c.pattern;
            // The pattern repeats every 12 bytes: start at the stream's offset within a line.
            int from = (int) (c.sent % LINE_BYTES);
            p.limit(from + (int) free).position(from);
            int w = c.channel.write(p);
            c.sent += w;
            setWriteInterest(c, p.hasRemaining());
        }

        private static void setWriteInterest(Conn c, boolean on) {
            int ops = c.key.interestOps();
            int want = on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (ops != want) {
                c.key.interestOps(want);
            }
        }
    }

    static Result run(LoadOptions o) throws Exception {
        int window = o.windowBytes;
        ByteBuffer pattern = ByteBuffer.allocateDirect((window / LINE_BYTES + 2) * LINE_BYTES);
        while (pattern.remaining() >= LINE_BYTES) {
            pattern.put(LINE);
        }
        pattern.clear();

        long start = System.nanoTime() + 200_000_000L; // connections are made before the clock runs
        long measureStart = start + o.warmupNanos();
        long end = measureStart + o.durationNanos();
        Worker[] workers = new Worker[o.threads];
        List<SocketChannel> all = new ArrayList<>();
        try {
            for (int t = 0; t < workers.length; t++) {
                workers[t] = new Worker(window, measureStart, end);
            }
            for (int i = 0; i < o.connections; i++) {
                SocketChannel ch = o.open();
                all.add(ch);
                ch.configureBlocking(false);
                Worker w = workers[i % workers.length];
                Conn c = new Conn(ch, pattern.duplicate());
                c.key = ch.register(w.selector, SelectionKey.OP_READ, c);
                w.conns.add(c);
            }
            Measurement m = new Measurement(o);
            Thread[] threads = new Thread[workers.length];
            for (int t = 0; t < workers.length; t++) {
                threads[t] = new Thread(workers[t], "pipelined-" + t);
            }
            while (System.nanoTime() - start < 0) {
                Thread.sleep(1);
            }
            for (Thread t : threads) {
                t.start();
            }
            long sleepMs = (measureStart - System.nanoTime()) / 1_000_000;
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
            m.start();
            double linesPerSecond = 0;
            double ioCpuShare = 0;
            for (int t = 0; t < threads.length; t++) {
                threads[t].join();
                if (t == 0) {
                    m.stop(); // worker 0 ends at 'end' too: sample right after it
                }
            }
            for (Worker w : workers) {
                if (w.failure != null) {
                    throw w.failure;
                }
                // each worker's own interval: exact even if its first event came late
                double secs = (w.endedAt - w.startedAt) / 1e9;
                linesPerSecond += (w.linesAtEnd - w.linesAtStart) / secs;
                ioCpuShare += w.cpuNanos / 1e9 / secs;
            }
            // Sanity: the stream of each connection is 12-byte lines, so it must hold exactly
            // received/12 newlines: anything else means a lost, added or mangled byte.
            for (Worker w : workers) {
                for (Conn c : w.conns) {
                    if (c.lines != c.received / LINE_BYTES) {
                        throw new IOException("echo stream corrupted: " + c.lines + " newlines in "
                                + c.received + " bytes");
                    }
                }
            }
            Result r = new Result()
                    .put("mode", "pipelined")
                    .put("server", o.label)
                    .put("connections", o.connections)
                    .put("threads", o.threads)
                    .put("window_bytes", window)
                    .put("lines_per_s", linesPerSecond)
                    .put("mbytes_per_s", linesPerSecond * LINE_BYTES / 1e6);
            m.report(r);
            r.put("client_io_cpu_pct", 100.0 * ioCpuShare);
            return r;
        } finally {
            for (Worker w : workers) {
                if (w != null) {
                    w.selector.close();
                }
            }
            for (SocketChannel ch : all) {
                ch.close();
            }
        }
    }
}

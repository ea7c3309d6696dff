// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Ping-pong: each connection sends one 12-byte line, waits for its echo, sends the next. One
 * connection uses a blocking socket (write, read: two system calls per round trip, nothing
 * else on the client's path); several share one selector thread. Reports round trips per
 * second and the round-trip latency distribution.
 */
final class ClosedLoop {
    private ClosedLoop() {}

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer line = ByteBuffer.allocateDirect(Pipelined.LINE_BYTES);
        long sentAt;
        int awaiting;

        Conn(SocketChannel channel) {
            this.channel = channel;
            line.put(Pipelined.LINE).flip();
        }

        void send() throws IOException {
            line.clear();
            sentAt = System.nanoTime();
            if (channel.write(line) != Pipelined.LINE_BYTES) {
                throw new IOException("a 12-byte write to an idle socket did not complete");
            }
            awaiting = Pipelined.LINE_BYTES;
        }
    }

    static Result run(LoadOptions o) throws Exception {
        Histogram h = new Histogram(60_000_000_000L, 3);
        List<Conn> conns = new ArrayList<>();
        Selector selector = null;
        try {
            for (int i = 0; i < o.connections; i++) {
                SocketChannel ch = o.open();
                conns.add(new Conn(ch));
            }
            Measurement m = new Measurement(o);
            long start = System.nanoTime();
            long measureStart = start + o.warmupNanos();
            long end = measureStart + o.durationNanos();
            long roundTrips;
            if (conns.size() == 1) {
                roundTrips = blocking(conns.get(0), h, m, measureStart, end);
            } else {
                selector = Selector.open();
                roundTrips = multiplexed(selector, conns, h, m, measureStart, end);
            }
            Result r = new Result()
                    .put("mode", "closed-loop")
                    .put("server", o.label)
                    .put("connections", o.connections)
                    .put("rt_per_s", roundTrips / (m.wallNanos() / 1e9));
            r.latencies("", h);
            m.report(r);
            return r;
        } finally {
            if (selector != null) {
                selector.close();
            }
            for (Conn c : conns) {
                c.channel.close();
            }
        }
    }

    private static long blocking(Conn c, Histogram h, Measurement m, long measureStart, long end)
            throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(4096);
        boolean measuring = false;
        long count = 0;
        while (true) {
            c.send();
            while (c.awaiting > 0) {
                in.clear();
                int n = c.channel.read(in);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                c.awaiting -= n;
            }
            long now = System.nanoTime();
            if (measuring) {
                h.recordValue(now - c.sentAt);
                count++;
                if (now - end >= 0) {
                    m.stop();
                    return count;
                }
            } else if (now - measureStart >= 0) {
                measuring = true;
                m.start();
            }
        }
    }

    /** Reads echoes and sends the next line; one instance per run, so nothing is allocated per event. */
    private static final class Multiplexer implements java.util.function.Consumer<SelectionKey> {
        final ByteBuffer in = ByteBuffer.allocateDirect(4096);
        final Histogram h;
        boolean record;
        long count;

        Multiplexer(Histogram h) {
            this.h = h;
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
                c.awaiting -= n;
                if (c.awaiting == 0) {
                    if (record) {
                        h.recordValue(System.nanoTime() - c.sentAt);
                        count++;
                    }
                    c.send();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static long multiplexed(Selector selector, List<Conn> conns, Histogram h, Measurement m,
            long measureStart, long end) throws IOException {
        for (Conn c : conns) {
            c.channel.configureBlocking(false);
            c.channel.register(selector, SelectionKey.OP_READ, c);
            c.send();
        }
        Multiplexer mux = new Multiplexer(h);
        while (true) {
            selector.select(mux, 100);
            long now = System.nanoTime();
            if (mux.record && now - end >= 0) {
                m.stop();
                return mux.count;
            }
            if (!mux.record && now - measureStart >= 0) {
                mux.record = true;
                m.start();
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.IdleStrategy;
import io.pollwire.SocketOptions;
import io.pollwire.codec.Framing;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetListener;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An event loop that is never started, over a fake poller, with fake sockets and listeners: the
 * loop's rooms driven directly from the test thread, no kernel involved. The test thread plays
 * the loop thread (it calls loop-thread-only methods); nothing here is thread-safe.
 */
final class LoopFixture {
    final FakePoller poller = new FakePoller();
    final List<CloseReason> closes = new ArrayList<>();
    final EventLoop loop;

    /** @param idleTimeoutNanos 0 for none */
    LoopFixture(long idleTimeoutNanos) {
        ConnectionHandler handler = new ConnectionHandler() {
            @Override
            public void onFrame(Connection connection, ByteBuffer frame) {
                connection.echo();
            }

            @Override
            public void onClose(Connection connection, CloseReason reason, Throwable cause) {
                closes.add(reason);
            }
        };
        LoopConfig config = new LoopConfig(Framing.lines(1024), handler, 4096, 512 * 1024, 128 * 1024,
                idleTimeoutNanos, 0, SocketOptions.defaults().tcpNoDelay(false), IdleStrategy.BLOCK, "fixture", true,
                true, false, 1024, 0, 0);
        ServerCore core = new ServerCore(config);
        loop = new EventLoop(core, 0, poller);
        core.setLoops(new EventLoop[] {loop});
    }

    /** Adopts a fake socket as an accepted connection and returns it. */
    LoopConnection adopt(FakeSocket socket) {
        int before = loop.slots.limit();
        loop.acceptor.adopt(socket);
        for (int i = 0; i < Math.max(before + 1, loop.slots.limit()); i++) {
            LoopConnection c = loop.slots.get(i);
            if (c != null && c.socket == socket) {
                return c;
            }
        }
        throw new AssertionError("socket was not adopted");
    }

    /** Records what the loop asks of its poller. */
    static final class FakePoller implements Poller {
        final Map<Pollable, Integer> interest = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public void register(Pollable target, int token, int ops) {
            interest.put(target, ops);
            calls.add("register " + ops);
        }

        @Override
        public void modify(Pollable target, int token, int ops) {
            interest.put(target, ops);
            calls.add("modify " + ops);
        }

        @Override
        public void deregister(Pollable target) {
            interest.remove(target);
        }

        @Override
        public int poll(int timeoutMillis) {
            return 0;
        }

        @Override
        public int token(int index) {
            throw new IndexOutOfBoundsException();
        }

        @Override
        public int readyOps(int index) {
            throw new IndexOutOfBoundsException();
        }

        @Override
        public void wakeup() {}

        @Override
        public void close() {}
    }

    /**
     * A socket that takes at most {@code writeLimit} bytes per write, and {@code budget} bytes
     * in all (the room in the kernel's send buffer), and records them.
     */
    static final class FakeSocket extends NetSocket {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final ArrayDeque<byte[]> toRead = new ArrayDeque<>();
        int writeLimit = Integer.MAX_VALUE;
        long budget = Long.MAX_VALUE;
        int writeCalls;
        boolean outputShut;
        boolean closed;
        /** What the kernel would report unacknowledged after our FIN; -1: cannot tell (NIO). */
        long unacknowledged = -1;

        @Override
        public long unacknowledgedBytes() {
            return unacknowledged;
        }

        @Override
        public int read(IoBuffer dst, int offset, int length) {
            byte[] next = toRead.poll();
            if (next == null) {
                return 0;
            }
            if (next.length == 0) {
                return -1;
            }
            dst.buffer().put(offset, next, 0, next.length);
            return next.length;
        }

        @Override
        public int write(IoBuffer src, int offset, int length) {
            writeCalls++;
            int n = (int) Math.min(Math.min(length, writeLimit), budget);
            budget -= n;
            byte[] b = new byte[n];
            src.buffer().get(offset, b);
            written.write(b, 0, n);
            return n;
        }

        @Override
        public long write(WriteBatch batch) {
            writeCalls++;
            long total = 0;
            long room = Math.min(writeLimit, budget);
            for (int i = 0; i < batch.count() && total < room; i++) {
                int n = (int) Math.min(batch.length(i), room - total);
                byte[] b = new byte[n];
                batch.buffer(i).buffer().get(batch.offset(i), b);
                written.write(b, 0, n);
                total += n;
            }
            budget -= total;
            return total;
        }

        @Override
        public void shutdownOutput() throws IOException {
            outputShut = true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void setLingerZero() {}

        @Override
        public void setTcpNoDelay(boolean on) {}

        @Override
        public boolean startConnect() {
            throw new UnsupportedOperationException("accepted");
        }

        @Override
        public boolean finishConnect(int pollerError) {
            throw new UnsupportedOperationException("accepted");
        }

        @Override
        public boolean isTcp() {
            return true;
        }

        @Override
        public void setLinger(int seconds) {}

        @Override
        public void setKeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) {}

        @Override
        public void setBufferSizes(int receiveBytes, int sendBytes) {}

        @Override
        public int intOption(String name) {
            return 0;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 7000);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public boolean isConnectionReset(IOException error) {
            return false;
        }
    }

    /** A listener whose accept() follows a script: a socket, null (nothing waiting), or an error. */
    static final class FakeListener extends NetListener {
        final ArrayDeque<Object> script = new ArrayDeque<>();
        int accepts;
        boolean closed;

        @Override
        public NetSocket accept() throws IOException {
            accepts++;
            Object next = script.poll();
            if (next instanceof IOException) {
                throw (IOException) next;
            }
            return (NetSocket) next;
        }

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 7000);
        }

        @Override
        public void close() {
            closed = true;
        }

        // no @Override: the transport contract may drop this method (it has no caller)
        public boolean isResourceExhausted(IOException error) {
            return true;
        }

        @Override
        public boolean isTransient(IOException error) {
            return false;
        }
    }
}

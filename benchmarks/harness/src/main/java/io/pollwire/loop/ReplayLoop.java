// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.ConnectionHandler;
import io.pollwire.IdleStrategy;
import io.pollwire.SocketOptions;
import io.pollwire.codec.Framing;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A real, running pollwire {@link EventLoop} (its thread, its turn, the connection's read,
 * framing, handler, reply batch and write) with the kernel taken out: its poller reports one
 * connection readable as often as asked, and that connection's socket returns the same bytes
 * on every read and takes every write whole. What a benchmark measures through it is the
 * library's per-read and per-frame cost alone (no system call, no wakeup of a peer).
 *
 * <p>Lives in the library's package to build the loop from its package-private parts (the
 * benchmarks jar puts both on one class path); the library exposes nothing for it. The same
 * shape as the library's test fixture {@code LoopFixture}, but with the loop's own thread
 * running, so the handler's writes take the loop-thread path a server's take.
 */
public final class ReplayLoop {
    private final ReplayPoller poller = new ReplayPoller();
    private final ReplaySocket socket;
    private final EventLoop loop;

    /**
     * Starts the loop and opens the connection.
     *
     * @param framing the connection's framing
     * @param handler the connection's handler (onOpen runs on the loop)
     * @param read what every read of the connection returns (at most 64 KiB)
     */
    public ReplayLoop(Framing framing, ConnectionHandler handler, byte[] read) throws InterruptedException {
        // the defaults of Server.builder(): 64 KiB reads, 512/128 KiB watermarks, 1024 deferred
        LoopConfig config = new LoopConfig(framing, handler, 64 * 1024, 512 * 1024, 128 * 1024, 0, 0,
                SocketOptions.defaults(), IdleStrategy.BLOCK, "replay", true, true, false, 1024, 0,
                Duration.ofSeconds(10).toNanos());
        ServerCore core = new ServerCore(config);
        loop = new EventLoop(core, 0, poller);
        core.setLoops(new EventLoop[] {loop});
        socket = new ReplaySocket(read);
        loop.start();
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            loop.acceptor.adopt(socket);
            opened.countDown();
        });
        opened.await();
    }

    /** Switches what every later read returns; call between {@link #reads} only. */
    public void replay(byte[] read) {
        socket.content = read;
    }

    /**
     * Makes the loop read (and handle, and answer) the connection {@code n} times, and waits
     * until it has.
     *
     * @return bytes the loop wrote in all so far
     */
    public long reads(int n) {
        return poller.run(n, socket);
    }

    /** @return reads the loop has done so far */
    public long readsDone() {
        return poller.completed;
    }

    /**
     * @return CPU time the loop's thread has used so far, in nanoseconds: what the requests
     *     cost, without the time the thread waited for a core on a busy machine
     */
    public long loopCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean()
                .getThreadCpuTime(poller.loopThread.getId());
    }

    /** @return bytes written by the loop so far */
    public long written() {
        return socket.written;
    }

    /** @return write calls (system calls, were it a socket) made so far */
    public long writeCalls() {
        return socket.writeCalls;
    }

    /** Stops the loop and waits for its thread to end. */
    public void close() throws InterruptedException {
        loop.requestStop();
        loop.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Reports the one connection readable until it has been read as often as requested, then
     * lets the loop block (parked) until the next request. A read counts as done at the next
     * poll, once its dispatch has returned; the requester parks until then.
     */
    private static final class ReplayPoller implements Poller {
        private volatile long target;
        volatile long completed;
        private volatile Thread requester;
        volatile Thread loopThread;
        private volatile boolean closed;
        private boolean dispatched;
        private int token;

        long run(int n, ReplaySocket s) {
            requester = Thread.currentThread();
            long t = target + n;
            target = t;
            LockSupport.unpark(loopThread);
            while (completed < t) {
                LockSupport.park(this);
            }
            return s.written;
        }

        @Override
        public void register(Pollable target, int token, int interest) {
            this.token = token;
            this.loopThread = Thread.currentThread();
        }

        @Override
        public void modify(Pollable target, int token, int interest) {}

        @Override
        public void deregister(Pollable target) {}

        @Override
        public int poll(int timeoutMillis) {
            if (loopThread == null) {
                loopThread = Thread.currentThread();
            }
            if (dispatched) {
                dispatched = false;
                long c = completed + 1;
                completed = c;
                if (c == target) {
                    LockSupport.unpark(requester);
                }
            }
            if (completed >= target) {
                if (timeoutMillis == 0 || closed) {
                    return 0;
                }
                LockSupport.parkNanos(this, timeoutMillis < 0 ? 1_000_000_000L : timeoutMillis * 1_000_000L);
                if (completed >= target || closed) {
                    return 0; // a task, a timer or a stop: let the loop take its turn
                }
            }
            dispatched = true;
            return 1;
        }

        @Override
        public int token(int index) {
            return token;
        }

        @Override
        public int readyOps(int index) {
            return READ;
        }

        @Override
        public void wakeup() {
            LockSupport.unpark(loopThread);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Every read returns {@link #content}; every write is taken whole and counted. */
    private static final class ReplaySocket extends NetSocket {
        volatile byte[] content;
        long written;
        long writeCalls;

        ReplaySocket(byte[] content) {
            this.content = content;
        }

        @Override
        public int read(IoBuffer dst, int offset, int length) {
            byte[] c = content;
            int n = Math.min(c.length, length);
            dst.buffer().put(offset, c, 0, n);
            return n;
        }

        @Override
        public int write(IoBuffer src, int offset, int length) {
            writeCalls++;
            written += length;
            return length;
        }

        @Override
        public long write(WriteBatch batch) {
            writeCalls++;
            written += batch.totalBytes();
            return batch.totalBytes();
        }

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
        public void shutdownOutput() {}

        @Override
        public void close() {}

        @Override
        public void setLingerZero() {}

        @Override
        public void setLinger(int seconds) {}

        @Override
        public void setTcpNoDelay(boolean on) {}

        @Override
        public void setKeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) {}

        @Override
        public void setBufferSizes(int receiveBytes, int sendBytes) {}

        @Override
        public int intOption(String name) {
            return 0;
        }

        @Override
        public SocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 6379);
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public boolean isConnectionReset(IOException error) {
            return false;
        }

        @Override
        public long unacknowledgedBytes() {
            return 0;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.Leaks;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Poller;
import io.pollwire.transport.WriteBatch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every native syscall-mirror test shares: loopback socket helpers, a descriptor-leak check
 * after each test, and the socket-level tests that do not involve the poller. A subclass per
 * backend (EpollMirrorTest, KqueueMirrorTest) adds the poller's own tests and carries the JUnit
 * tags that choose the surefire executions these inherited tests run in; this class has no tag
 * and, being abstract, is never run on its own.
 */
public abstract class NativeMirrorTestBase {
    protected static final InetSocketAddress LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Run in reverse order after each test, before the leak check. */
    protected final List<Runnable> cleanup = new ArrayList<>();
    /** Scratch buffer for {@link #send} and {@link #receive}, and for direct reads. */
    protected IoBuffer data;
    private int fdsBefore;

    // Runs before the subclass's @BeforeEach, so the baseline excludes its poller descriptor.
    @BeforeEach
    void recordFdsAndAllocateData() {
        fdsBefore = Leaks.openFds();
        data = IoBuffer.allocate(1 << 16);
    }

    @AfterEach
    void runCleanupAndCheckFds() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        if (fdsBefore > 0) {
            // Waits: libkqueue frees a closed kqueue's own descriptors on its monitoring thread.
            int after = Leaks.awaitFds(fdsBefore, 2000);
            assertTrue(after <= fdsBefore, "fds leaked by the test: " + fdsBefore + " -> " + after);
        }
    }

    /**
     * Opens a fresh poller, registers {@code fd} for reading with {@code token}, checks that the
     * call succeeded and closes the poller: the poller's share of one open/close cycle.
     */
    protected abstract void registerInFreshPollerAndClose(int fd, int token);

    /** Accepts the connection waiting on {@code listener}, polling for up to about a second. */
    protected static NetSocket awaitAccept(FdListener listener) throws Exception {
        NetSocket accepted = null;
        for (int i = 0; i < 500 && accepted == null; i++) {
            accepted = listener.accept();
            if (accepted == null) {
                Thread.sleep(2);
            }
        }
        assertNotNull(accepted, "loopback connection not accepted");
        return accepted;
    }

    /**
     * A descriptor number that was just closed and is still free. The JVM's own threads open
     * files at any moment (its compiler threads read the cgroup memory limits), each taking the
     * lowest free number: the highest of eight just-closed sockets is taken only if eight such
     * opens overlap, whereas a single one closed alone can be reused before the test uses it.
     */
    protected static int closedDescriptor() {
        int[] fds = new int[8];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = NativeSocket.socket(false);
            assertTrue(fds[i] >= 0, "socket: " + fds[i]);
        }
        int highest = -1;
        for (int fd : fds) {
            NativeSocket.close(fd);
            highest = Math.max(highest, fd);
        }
        return highest;
    }

    /** A connected pair over loopback: [0] client side, [1] accepted server side. */
    protected FdSocket[] pair() throws Exception {
        FdListener listener = FdListener.open(LOOPBACK, 16, false);
        try {
            FdSocket client = FdSocket.connect(listener.localAddress());
            cleanup.add(client::close);
            FdSocket server = (FdSocket) awaitAccept(listener);
            cleanup.add(server::close);
            client.finishConnect();
            return new FdSocket[] {client, server};
        } finally {
            listener.close();
        }
    }

    protected void send(FdSocket s, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        data.buffer().clear();
        data.buffer().put(b);
        assertEquals(b.length, s.write(data, 0, b.length));
    }

    protected String receive(FdSocket s, int max) throws Exception {
        int n = s.read(data, 0, max);
        byte[] b = new byte[Math.max(n, 0)];
        data.buffer().get(0, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * Blocks a thread in {@code poller.poll(-1)}, checks that {@link Poller#wakeup()} from this
     * thread ends it, and that the wakeup is not reported as an event. Closes the poller.
     *
     * @param waitCall the syscall the poll blocks in, for the failure message
     */
    protected static void assertWakeupUnblocksABlockedPoll(Poller poller, String waitCall) throws Exception {
        try (poller) {
            long[] returnedAfter = new long[1];
            Thread waiter = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    poller.poll(-1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                returnedAfter[0] = System.nanoTime() - t0;
            }, "poll-waiter");
            waiter.start();
            Thread.sleep(100);
            assertTrue(waiter.isAlive(), "poll(-1) should block until woken");
            poller.wakeup();
            waiter.join(5000);
            assertTrue(!waiter.isAlive(), "wakeup did not unblock " + waitCall);
            assertNotEquals(0, returnedAfter[0]);
            assertEquals(0, poller.poll(0), "the wakeup is never reported as an event");
        }
    }

    @Test
    void acceptConnectWriteReadOverLoopback() throws Exception {
        FdSocket[] p = pair();
        assertEquals(p[1].remoteAddress(), p[0].localAddress());
        send(p[0], "hello\n");
        Thread.sleep(5);
        assertEquals("hello\n", receive(p[1], 100));
        send(p[1], "back");
        Thread.sleep(5);
        assertEquals("back", receive(p[0], 100));
    }

    @Test
    void emptyNonBlockingReadIsEagainNotAnException() throws Exception {
        FdSocket[] p = pair();
        int r = NativeSocket.read(p[1].fd(), data.address(), 10);
        assertEquals(-Errno.EAGAIN, r);
        assertEquals(0, p[1].read(data, 0, 10), "EAGAIN maps to 0 bytes");
    }

    @Test
    void shutdownTakesTheKernelsHow() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, NativeSocket.shutdown(p[0].fd(), SocketOption.SHUT_WR));
        int r = -Errno.EAGAIN;
        for (int i = 0; i < 500 && r == -Errno.EAGAIN; i++) {
            Thread.sleep(2);
            r = NativeSocket.read(p[1].fd(), data.address(), 10);
        }
        assertEquals(0, r, "SHUT_WR: the peer reads end of stream");
        assertEquals(-Errno.EPIPE, NativeSocket.write(p[0].fd(), data.address(), 1),
                "SHUT_WR: nothing more can be sent");
        assertEquals(0, NativeSocket.shutdown(p[1].fd(), SocketOption.SHUT_RDWR));
        assertTrue(NativeSocket.shutdown(p[1].fd(), 99) < 0, "a how the kernel does not know");
    }

    @Test
    void secondBindOnSamePortIsEaddrinuse() throws Exception {
        FdListener first = FdListener.open(LOOPBACK, 4, false);
        cleanup.add(first::close);
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> FdListener.open(first.localAddress(), 4, false));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertEquals("bind", e.operation());
    }

    @Test
    void ipv6LoopbackWorks() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        FdListener l;
        try {
            l = FdListener.open(v6, 4, false);
        } catch (NativeIoException e) {
            Assumptions.assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        cleanup.add(l::close);
        FdSocket c = FdSocket.connect(l.localAddress());
        cleanup.add(c::close);
        NetSocket s = awaitAccept(l);
        cleanup.add(s::close);
        assertEquals(l.localAddress().getPort(), ((InetSocketAddress) c.remoteAddress()).getPort());
        assertEquals(InetAddress.getByName("::1"), ((InetSocketAddress) c.remoteAddress()).getAddress());
    }

    @Test
    void acceptWithNothingPendingReturnsNull() throws Exception {
        FdListener l = FdListener.open(LOOPBACK, 4, false);
        cleanup.add(l::close);
        assertNull(l.accept());
    }

    @Test
    void writevGathersSegmentsInOrder() throws Exception {
        FdSocket[] p = pair();
        IoBuffer a = IoBuffer.allocate(16);
        IoBuffer b = IoBuffer.allocate(16);
        a.buffer().put(0, "xxhello ".getBytes(StandardCharsets.US_ASCII));
        b.buffer().put(0, "world\n".getBytes(StandardCharsets.US_ASCII));
        WriteBatch batch = new WriteBatch(8);
        batch.add(a, 2, 6);
        batch.add(b, 0, 6);
        assertEquals(12, p[0].write(batch));
        Thread.sleep(5);
        byte[] got = receive(p[1], 100).getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("hello world\n".getBytes(StandardCharsets.US_ASCII), got);
    }

    @Test
    void tenThousandOpenCloseCyclesLeakNoDescriptor() throws Exception {
        int before = Leaks.openFds();
        Assumptions.assumeTrue(before > 0, "needs /proc/self/fd or /dev/fd");
        FdListener l = FdListener.open(LOOPBACK, 128, false);
        try {
            for (int i = 0; i < 10_000; i++) {
                FdSocket c = FdSocket.connect(l.localAddress());
                NetSocket s = null;
                for (int spin = 0; spin < 1000 && s == null; spin++) {
                    s = l.accept();
                    if (s == null) {
                        Thread.onSpinWait();
                    }
                }
                assertNotNull(s, "cycle " + i + ": not accepted");
                registerInFreshPollerAndClose(((FdSocket) s).fd(), i);
                s.close();
                c.close();
            }
        } finally {
            l.close();
        }
        // Waits: libkqueue releases a closed kqueue's descriptors on its own thread. A leak
        // (epoll's are released at once) still fails, after the wait.
        int after = Leaks.awaitFds(before, 5000);
        assertTrue(after <= before, "descriptors leaked over 10,000 cycles: " + before + " -> " + after);
    }
}

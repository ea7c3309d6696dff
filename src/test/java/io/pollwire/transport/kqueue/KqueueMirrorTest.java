package io.pollwire.transport.kqueue;

import static io.pollwire.transport.kqueue.Kqueue.Const.DATA_OFFSET;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVENT_SIZE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_READ;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_USER;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_WRITE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_ADD;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_CLEAR;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_DELETE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_DISABLE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_ENABLE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_EOF;
import static io.pollwire.transport.kqueue.Kqueue.Const.ENOENT;
import static io.pollwire.transport.kqueue.Kqueue.Const.FFLAGS_OFFSET;
import static io.pollwire.transport.kqueue.Kqueue.Const.FILTER_OFFSET;
import static io.pollwire.transport.kqueue.Kqueue.Const.FLAGS_OFFSET;
import static io.pollwire.transport.kqueue.Kqueue.Const.IDENT_OFFSET;
import static io.pollwire.transport.kqueue.Kqueue.Const.NOTE_TRIGGER;
import static io.pollwire.transport.kqueue.Kqueue.Const.UDATA_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.Leaks;
import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.Errno;
import io.pollwire.transport.FdListener;
import io.pollwire.transport.FdSocket;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NativeIoException;
import io.pollwire.transport.NativeSocket;
import io.pollwire.transport.NetSocket;
import io.pollwire.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kqueue syscall mirror against real loopback sockets: each kernel behaviour we rely on.
 * Twin of {@code EpollMirrorTest}. Runs on macOS/BSD, and on Linux against libkqueue in the
 * {@code kqueue-libkqueue} surefire execution.
 */
@Tag("native")
@Tag("kqueue")
@Timeout(30)
class KqueueMirrorTest {
    private static final InetSocketAddress LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<Runnable> cleanup = new ArrayList<>();
    private IoBuffer events;
    private IoBuffer data;
    private int kq;
    private int fdsBefore;

    @BeforeAll
    static void requireKqueue() {
        NativeSupport.assumeAvailable(Transport.KQUEUE);
        // libkqueue opens process-wide descriptors (its monitoring thread's) with the first
        // kqueue and keeps them: open them before any test takes its descriptor baseline.
        NativeSocket.close(Kqueue.kqueueCreate());
    }

    @BeforeEach
    void setUp() throws Exception {
        fdsBefore = Leaks.openFds();
        events = IoBuffer.allocate(64 * EVENT_SIZE);
        data = IoBuffer.allocate(1 << 16);
        kq = NativeSocket.check("kqueue", Kqueue.kqueueCreate());
        cleanup.add(() -> NativeSocket.close(kq));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        if (fdsBefore > 0) {
            // libkqueue frees a closed kqueue's own descriptors on its monitoring thread.
            int after = Leaks.awaitFds(fdsBefore, 2000);
            assertTrue(after <= fdsBefore, "fds leaked by the test: " + fdsBefore + " -> " + after);
        }
    }

    /** A connected pair over loopback: [0] client side, [1] accepted server side. */
    private FdSocket[] pair() throws Exception {
        FdListener listener = FdListener.open(LOOPBACK, 16, false);
        try {
            FdSocket client = FdSocket.connect(listener.localAddress());
            cleanup.add(client::close);
            NetSocket accepted = null;
            for (int i = 0; i < 500 && accepted == null; i++) {
                accepted = listener.accept();
                if (accepted == null) {
                    Thread.sleep(2);
                }
            }
            assertNotNull(accepted, "loopback connection not accepted");
            FdSocket server = (FdSocket) accepted;
            cleanup.add(server::close);
            client.finishConnect();
            return new FdSocket[] {client, server};
        } finally {
            listener.close();
        }
    }

    private int ctl(int fd, int filter, int flags, long udata) {
        return Kqueue.keventCtl(kq, fd, filter, flags, 0, udata);
    }

    private int waitEvents(int timeoutMillis) {
        int n = Kqueue.keventWait(kq, events.address(), 64, timeoutMillis);
        assertTrue(n >= 0, "kevent failed: " + n);
        return n;
    }

    private int eventFilter(int i) {
        return events.buffer().getShort(i * EVENT_SIZE + FILTER_OFFSET);
    }

    private int eventFlags(int i) {
        return events.buffer().getShort(i * EVENT_SIZE + FLAGS_OFFSET) & 0xffff;
    }

    private int eventFflags(int i) {
        return events.buffer().getInt(i * EVENT_SIZE + FFLAGS_OFFSET);
    }

    private long eventIdent(int i) {
        return events.buffer().getLong(i * EVENT_SIZE + IDENT_OFFSET);
    }

    private long eventData(int i) {
        return events.buffer().getLong(i * EVENT_SIZE + DATA_OFFSET);
    }

    private long eventUdata(int i) {
        return events.buffer().getLong(i * EVENT_SIZE + UDATA_OFFSET);
    }

    private void send(FdSocket s, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        data.buffer().clear();
        data.buffer().put(b);
        assertEquals(b.length, s.write(data, 0, b.length));
    }

    private String receive(FdSocket s, int max) throws Exception {
        int n = s.read(data, 0, max);
        byte[] b = new byte[Math.max(n, 0)];
        data.buffer().get(0, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void layoutComesFromC() {
        // 64-bit: ident, filter, flags, fflags, data, udata; FreeBSD 12+ appends ext[4].
        assertTrue(EVENT_SIZE == 32 || EVENT_SIZE == 64, "sizeof(struct kevent)=" + EVENT_SIZE);
        assertEquals(0, IDENT_OFFSET);
        assertEquals(8, FILTER_OFFSET);
        assertEquals(10, FLAGS_OFFSET);
        assertEquals(12, FFLAGS_OFFSET);
        assertEquals(16, DATA_OFFSET);
        assertEquals(24, UDATA_OFFSET);
        assertTrue(EVFILT_READ < 0 && EVFILT_WRITE < 0 && EVFILT_USER < 0, "filters are negative");
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
    void levelTriggeredReportsUnreadDataAgain() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, ctl(p[1].fd(), EVFILT_READ, EV_ADD, 42));
        assertEquals(0, waitEvents(0));
        send(p[0], "xy");
        assertEquals(1, waitEvents(2000));
        assertEquals(42, eventUdata(0));
        assertEquals(p[1].fd(), eventIdent(0));
        assertEquals(EVFILT_READ, eventFilter(0));
        assertEquals(2, eventData(0), "EVFILT_READ reports the bytes waiting");
        assertEquals(1, waitEvents(0), "level-triggered: still readable, reported again");
        receive(p[1], 10);
        assertEquals(0, waitEvents(0), "drained: no more events");
    }

    @Test
    void clearFlagReportsOncePerArrival() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, ctl(p[1].fd(), EVFILT_READ, EV_ADD | EV_CLEAR, 7));
        send(p[0], "a");
        assertEquals(1, waitEvents(2000));
        assertEquals(0, waitEvents(0), "EV_CLEAR: no new report while the byte sits unread");
        send(p[0], "b");
        assertEquals(1, waitEvents(2000), "new data is a new report");
        assertEquals("ab", receive(p[1], 10));
    }

    @Test
    void writeFilterOnConnectedSocketAndEnableDisable() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, ctl(p[1].fd(), EVFILT_WRITE, EV_ADD, 1));
        assertEquals(1, waitEvents(1000));
        assertEquals(EVFILT_WRITE, eventFilter(0));
        assertEquals(0, ctl(p[1].fd(), EVFILT_WRITE, EV_DISABLE, 1));
        assertEquals(0, waitEvents(0), "a disabled filter reports nothing");
        assertEquals(0, ctl(p[1].fd(), EVFILT_WRITE, EV_ENABLE, 1));
        assertEquals(1, waitEvents(1000));
        assertEquals(EVFILT_WRITE, eventFilter(0));
        assertEquals(0, ctl(p[1].fd(), EVFILT_WRITE, EV_DELETE, 0));
        assertEquals(0, waitEvents(0), "deleted: no more events");
    }

    @Test
    void changingAFilterNeverAddedIsEnoent() throws Exception {
        FdSocket[] p = pair();
        assertEquals(-ENOENT, ctl(p[1].fd(), EVFILT_WRITE, EV_ENABLE, 1));
        assertEquals(-ENOENT, ctl(p[1].fd(), EVFILT_WRITE, EV_DISABLE, 1));
        assertEquals(-ENOENT, ctl(p[1].fd(), EVFILT_READ, EV_DELETE, 1));
    }

    @Test
    void peerHalfCloseRaisesEofAndEndOfStream() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, ctl(p[1].fd(), EVFILT_READ, EV_ADD, 1));
        p[0].shutdownOutput();
        assertEquals(1, waitEvents(2000));
        assertEquals(EV_EOF, eventFlags(0) & EV_EOF);
        assertEquals(0, eventFflags(0), "a FIN carries no error");
        assertEquals(-1, p[1].read(data, 0, 10), "FIN reads as end of stream");
        send(p[1], "still writable");
        assertEquals("still writable", receive(p[0], 100));
    }

    @Test
    void peerResetRaisesEofWithEconnresetInFflags() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, ctl(p[1].fd(), EVFILT_READ, EV_ADD, 1));
        p[0].setLingerZero();
        p[0].close();
        assertEquals(1, waitEvents(2000));
        assertEquals(EV_EOF, eventFlags(0) & EV_EOF, "RST: EV_EOF, flags=" + eventFlags(0));
        assertEquals(Errno.ECONNRESET, eventFflags(0), "RST: the socket error in fflags");
        // macOS leaves the error for read(); libkqueue fetched it with SO_ERROR, which clears
        // it on Linux, so there the read sees the end of stream. Nothing else is acceptable.
        try {
            assertEquals(-1, p[1].read(data, 0, 10));
        } catch (NativeIoException e) {
            assertEquals(Errno.ECONNRESET, e.errno());
            assertEquals("read", e.operation());
        }
    }

    @Test
    void connectToClosedPortIsEconnrefused() throws Exception {
        FdListener l = FdListener.open(LOOPBACK, 1, false);
        InetSocketAddress closed = l.localAddress();
        l.close();
        FdSocket s;
        try {
            s = FdSocket.connect(closed);
        } catch (NativeIoException e) {
            assertEquals(Errno.ECONNREFUSED, e.errno(), "refused at once (BSD loopback may)");
            return;
        }
        cleanup.add(s::close);
        assertEquals(0, ctl(s.fd(), EVFILT_WRITE, EV_ADD, 1));
        assertEquals(1, waitEvents(2000));
        assertEquals(EV_EOF, eventFlags(0) & EV_EOF, "refused: EV_EOF, flags=" + eventFlags(0));
        assertEquals(Errno.ECONNREFUSED, eventFflags(0), "refused: the socket error in fflags");
        // macOS leaves SO_ERROR for finishConnect; libkqueue has read (and so cleared) it.
        try {
            s.finishConnect();
            assertEquals("linux", io.pollwire.transport.Platform.os(),
                    "finishConnect must see ECONNREFUSED; only libkqueue consumes SO_ERROR");
        } catch (NativeIoException e) {
            assertEquals(Errno.ECONNREFUSED, e.errno());
        }
    }

    @Test
    void closedDescriptorIsEbadf() {
        int fd = NativeSocket.socket(false);
        assertTrue(fd >= 0);
        NativeSocket.close(fd);
        assertEquals(-Errno.EBADF, ctl(fd, EVFILT_READ, EV_ADD, 0));
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> new FdSocket(fd).read(data, 0, 1));
        assertEquals(Errno.EBADF, e.errno());
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
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        cleanup.add(l::close);
        FdSocket c = FdSocket.connect(l.localAddress());
        cleanup.add(c::close);
        NetSocket s = null;
        for (int i = 0; i < 500 && s == null; i++) {
            s = l.accept();
            if (s == null) {
                Thread.sleep(2);
            }
        }
        assertNotNull(s);
        cleanup.add(s::close);
        assertEquals(l.localAddress().getPort(), c.remoteAddress().getPort());
        assertEquals(InetAddress.getByName("::1"), c.remoteAddress().getAddress());
    }

    @Test
    void acceptWithNothingPendingReturnsNull() throws Exception {
        FdListener l = FdListener.open(LOOPBACK, 4, false);
        cleanup.add(l::close);
        assertNull(l.accept());
    }

    @Test
    void listenerIsReadableWhenAConnectionWaits() throws Exception {
        FdListener l = FdListener.open(LOOPBACK, 4, false);
        cleanup.add(l::close);
        assertEquals(0, ctl(l.fd(), EVFILT_READ, EV_ADD, 9));
        assertEquals(0, waitEvents(0));
        FdSocket c = FdSocket.connect(l.localAddress());
        cleanup.add(c::close);
        assertEquals(1, waitEvents(2000));
        assertEquals(9, eventUdata(0));
        NetSocket s = l.accept();
        assertNotNull(s);
        cleanup.add(s::close);
    }

    @Test
    void userEventTriggerIsReportedOnceWithClear() {
        assertEquals(0, Kqueue.keventCtl(kq, 0, EVFILT_USER, EV_ADD | EV_CLEAR, 0, -1));
        assertEquals(0, waitEvents(0));
        assertEquals(0, Kqueue.keventCtl(kq, 0, EVFILT_USER, 0, NOTE_TRIGGER, -1));
        assertEquals(0, Kqueue.keventCtl(kq, 0, EVFILT_USER, 0, NOTE_TRIGGER, -1));
        assertEquals(1, waitEvents(1000), "two triggers, one report");
        assertEquals(EVFILT_USER, eventFilter(0));
        assertEquals(-1L, eventUdata(0));
        assertEquals(0, waitEvents(0), "EV_CLEAR reset it");
    }

    @Test
    void userEventWakesABlockedWaitFromAnotherThread() throws Exception {
        try (KqueuePoller poller = new KqueuePoller(16)) {
            long[] returnedAfter = new long[1];
            Thread waiter = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    poller.poll(-1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                returnedAfter[0] = System.nanoTime() - t0;
            }, "kqueue-waiter");
            waiter.start();
            Thread.sleep(100);
            assertTrue(waiter.isAlive(), "poll(-1) should block until woken");
            poller.wakeup();
            waiter.join(5000);
            assertTrue(!waiter.isAlive(), "wakeup did not unblock kevent");
            assertNotEquals(0, returnedAfter[0]);
            assertEquals(0, poller.poll(0), "the wakeup is never reported as an event");
        }
    }

    @Test
    void pollerReportsASocketThatReusesAClosedSocketsDescriptor() throws Exception {
        try (KqueuePoller poller = new KqueuePoller(16)) {
            FdSocket[] first = pair();
            FdListener l = FdListener.open(LOOPBACK, 4, false); // takes pair()'s freed number
            cleanup.add(l::close);
            poller.register(first[1], 1, KqueuePoller.READ | KqueuePoller.WRITE);
            int reused = first[1].fd();
            first[1].close(); // no deregister: the loop closes registered sockets directly
            FdSocket client = FdSocket.connect(l.localAddress());
            cleanup.add(client::close);
            assertEquals(reused, client.fd(), "the kernel hands out the lowest free number");
            NetSocket server = null;
            for (int i = 0; i < 500 && server == null; i++) {
                server = l.accept();
                if (server == null) {
                    Thread.sleep(2);
                }
            }
            assertNotNull(server);
            cleanup.add(server::close);
            poller.register(client, 2, KqueuePoller.READ);
            send((FdSocket) server, "x");
            assertEquals(1, poller.poll(2000), "the new socket's data is reported");
            assertEquals(2, poller.token(0));
            assertEquals(KqueuePoller.READ, poller.readyOps(0));
        }
    }

    @Test
    void pollerModifyTogglesWriteAndReportsEofAsReadAndWrite() throws Exception {
        try (KqueuePoller poller = new KqueuePoller(16)) {
            FdSocket[] p = pair();
            poller.register(p[1], 5, KqueuePoller.READ);
            assertEquals(0, poller.poll(0));
            poller.modify(p[1], 5, KqueuePoller.READ | KqueuePoller.WRITE);
            assertEquals(1, poller.poll(1000));
            assertEquals(KqueuePoller.WRITE, poller.readyOps(0));
            poller.modify(p[1], 5, KqueuePoller.READ);
            assertEquals(0, poller.poll(0));
            p[0].shutdownOutput();
            assertEquals(1, poller.poll(2000));
            assertEquals(5, poller.token(0));
            assertEquals(KqueuePoller.READ | KqueuePoller.WRITE, poller.readyOps(0), "EOF");
            poller.deregister(p[1]);
            assertEquals(0, poller.poll(0));
        }
    }

    @Test
    void writevGathersSegmentsInOrder() throws Exception {
        FdSocket[] p = pair();
        IoBuffer a = IoBuffer.allocate(16);
        IoBuffer b = IoBuffer.allocate(16);
        a.buffer().put(0, "xxhello ".getBytes(StandardCharsets.US_ASCII));
        b.buffer().put(0, "world\n".getBytes(StandardCharsets.US_ASCII));
        io.pollwire.transport.WriteBatch batch = new io.pollwire.transport.WriteBatch(8);
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
        org.junit.jupiter.api.Assumptions.assumeTrue(before > 0, "needs /proc/self/fd or /dev/fd");
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
                int q = Kqueue.kqueueCreate();
                assertTrue(q >= 0, "kqueue: " + q);
                assertEquals(0, Kqueue.keventCtl(q, ((FdSocket) s).fd(), EVFILT_READ, EV_ADD, 0, i));
                NativeSocket.close(q);
                s.close();
                c.close();
            }
        } finally {
            l.close();
        }
        int after = Leaks.awaitFds(before, 5000);
        assertTrue(after <= before, "descriptors leaked over 10,000 cycles: " + before + " -> " + after);
    }
}

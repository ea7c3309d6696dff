package io.pollwire.transport.epoll;

import static io.pollwire.transport.epoll.Epoll.Const.DATA_OFFSET;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLERR;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLET;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLHUP;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLIN;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLOUT;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLRDHUP;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_ADD;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_MOD;
import static io.pollwire.transport.epoll.Epoll.Const.EVENTS_OFFSET;
import static io.pollwire.transport.epoll.Epoll.Const.EVENT_SIZE;
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

/** The epoll syscall mirror against real loopback sockets: each kernel behaviour we rely on. */
@Tag("native")
@Timeout(30)
class EpollMirrorTest {
    private static final InetSocketAddress LOOPBACK =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final List<Runnable> cleanup = new ArrayList<>();
    private IoBuffer events;
    private IoBuffer data;
    private int epfd;
    private int fdsBefore;

    @BeforeAll
    static void requireEpoll() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }

    @BeforeEach
    void setUp() throws Exception {
        fdsBefore = Leaks.openFds();
        events = IoBuffer.allocate(64 * EVENT_SIZE);
        data = IoBuffer.allocate(1 << 16);
        epfd = NativeSocket.check("epoll_create1", Epoll.epollCreate());
        cleanup.add(() -> NativeSocket.close(epfd));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        if (fdsBefore > 0) {
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

    private int waitEvents(int timeoutMillis) {
        int n = Epoll.epollWait(epfd, events.address(), 64, timeoutMillis);
        assertTrue(n >= 0, "epoll_wait failed: " + n);
        return n;
    }

    private int eventMask(int i) {
        return events.buffer().getInt(i * EVENT_SIZE + EVENTS_OFFSET);
    }

    private long eventData(int i) {
        return events.buffer().getLong(i * EVENT_SIZE + DATA_OFFSET);
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
        assertTrue(EVENT_SIZE == 12 || EVENT_SIZE == 16, "sizeof(struct epoll_event)=" + EVENT_SIZE);
        assertEquals(0, EVENTS_OFFSET);
        assertTrue(DATA_OFFSET == 4 || DATA_OFFSET == 8);
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
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, p[1].fd(), EPOLLIN, 42));
        assertEquals(0, waitEvents(0));
        send(p[0], "x");
        assertEquals(1, waitEvents(2000));
        assertEquals(42, eventData(0));
        assertEquals(EPOLLIN, eventMask(0) & EPOLLIN);
        assertEquals(1, waitEvents(0), "level-triggered: still readable, reported again");
        receive(p[1], 10);
        assertEquals(0, waitEvents(0), "drained: no more events");
    }

    @Test
    void edgeTriggeredReportsOncePerArrival() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, p[1].fd(), EPOLLIN | EPOLLET, 7));
        send(p[0], "a");
        assertEquals(1, waitEvents(2000));
        assertEquals(0, waitEvents(0), "edge-triggered: no new edge while the byte sits unread");
        send(p[0], "b");
        assertEquals(1, waitEvents(2000), "new data is a new edge");
        assertEquals("ab", receive(p[1], 10));
    }

    @Test
    void epolloutOnConnectedSocketAndModify() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, p[1].fd(), EPOLLIN, 1));
        assertEquals(0, waitEvents(0));
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_MOD, p[1].fd(), EPOLLIN | EPOLLOUT, 1));
        assertEquals(1, waitEvents(1000));
        assertEquals(EPOLLOUT, eventMask(0) & EPOLLOUT);
    }

    @Test
    void peerHalfCloseRaisesRdhupAndEndOfStream() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, p[1].fd(), EPOLLIN | EPOLLRDHUP, 1));
        p[0].shutdownOutput();
        assertEquals(1, waitEvents(2000));
        assertEquals(EPOLLRDHUP, eventMask(0) & EPOLLRDHUP);
        assertEquals(-1, p[1].read(data, 0, 10), "FIN reads as end of stream");
        send(p[1], "still writable");
        assertEquals("still writable", receive(p[0], 100));
    }

    @Test
    void peerResetRaisesHupErrAndEconnreset() throws Exception {
        FdSocket[] p = pair();
        assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, p[1].fd(), EPOLLIN, 1));
        p[0].setLingerZero();
        p[0].close();
        assertEquals(1, waitEvents(2000));
        int mask = eventMask(0);
        assertEquals(EPOLLHUP, mask & EPOLLHUP, "RST: EPOLLHUP, mask=" + mask);
        assertEquals(EPOLLERR, mask & EPOLLERR, "RST: EPOLLERR, mask=" + mask);
        NativeIoException e = assertThrows(NativeIoException.class, () -> p[1].read(data, 0, 10));
        assertEquals(Errno.ECONNRESET, e.errno());
        assertEquals("read", e.operation());
    }

    @Test
    void connectToClosedPortIsEconnrefused() throws Exception {
        FdListener l = FdListener.open(LOOPBACK, 1, false);
        InetSocketAddress closed = l.localAddress();
        l.close();
        NativeIoException e = assertThrows(NativeIoException.class, () -> {
            FdSocket s = FdSocket.connect(closed);
            cleanup.add(s::close);
            assertEquals(0, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, s.fd(), EPOLLOUT, 1));
            assertEquals(1, waitEvents(2000));
            s.finishConnect();
        });
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @Test
    void closedDescriptorIsEbadf() {
        int fd = NativeSocket.socket(false);
        assertTrue(fd >= 0);
        NativeSocket.close(fd);
        assertEquals(-Errno.EBADF, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, 0));
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> new FdSocket(fd).read(data, 0, 1));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
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
    void eventfdWakesABlockedWaitFromAnotherThread() throws Exception {
        try (EpollPoller poller = new EpollPoller(16)) {
            long[] returnedAfter = new long[1];
            Thread waiter = new Thread(() -> {
                long t0 = System.nanoTime();
                try {
                    poller.poll(-1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                returnedAfter[0] = System.nanoTime() - t0;
            }, "epoll-waiter");
            waiter.start();
            Thread.sleep(100);
            assertTrue(waiter.isAlive(), "poll(-1) should block until woken");
            poller.wakeup();
            waiter.join(5000);
            assertTrue(!waiter.isAlive(), "wakeup did not unblock epoll_wait");
            assertNotEquals(0, returnedAfter[0]);
            assertEquals(0, poller.poll(0), "the wakeup is drained and never reported as an event");
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
        org.junit.jupiter.api.Assumptions.assumeTrue(before > 0, "needs /proc/self/fd");
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
                int ep = Epoll.epollCreate();
                assertEquals(0, Epoll.epollCtl(ep, EPOLL_CTL_ADD, ((FdSocket) s).fd(), EPOLLIN, i));
                NativeSocket.close(ep);
                s.close();
                c.close();
            }
        } finally {
            l.close();
        }
        int after = Leaks.openFds();
        assertTrue(after <= before, "descriptors leaked over 10,000 cycles: " + before + " -> " + after);
    }
}

// SPDX-License-Identifier: Apache-2.0
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.unix.Errno;
import io.pollwire.transport.unix.FdListener;
import io.pollwire.transport.unix.FdSocket;
import io.pollwire.transport.unix.NativeIoException;
import io.pollwire.transport.unix.NativeMirrorTestBase;
import io.pollwire.transport.unix.NativeSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The epoll syscall mirror against real loopback sockets: each kernel behaviour we rely on. The
 * socket-level tests shared with the kqueue twin are inherited from {@link NativeMirrorTestBase}.
 */
@Tag("native")
@Timeout(30)
class EpollMirrorTest extends NativeMirrorTestBase {
    private IoBuffer events;
    private int epfd;

    @BeforeAll
    static void requireEpoll() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }

    @BeforeEach
    void openEpoll() throws Exception {
        events = Epoll.newEventArray(64);
        epfd = NativeSocket.check("epoll_create1", Epoll.epollCreate());
        cleanup.add(() -> NativeSocket.close(epfd));
    }

    @Override
    protected void registerInFreshPollerAndClose(int fd, int token) {
        int ep = Epoll.epollCreate();
        assertEquals(0, Epoll.epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, token));
        NativeSocket.close(ep);
    }

    private int waitEvents(int timeoutMillis) {
        int n = Epoll.epollWait(epfd, events.address(), 64, timeoutMillis);
        assertTrue(n >= 0, "epoll_wait failed: " + n);
        return n;
    }

    private int eventMask(int i) {
        return Epoll.getEvents(events.buffer(), i);
    }

    private long eventData(int i) {
        return Epoll.getData(events.buffer(), i);
    }

    @Test
    void layoutComesFromC() {
        assertTrue(EVENT_SIZE == 12 || EVENT_SIZE == 16, "sizeof(struct epoll_event)=" + EVENT_SIZE);
        assertEquals(0, EVENTS_OFFSET);
        assertTrue(DATA_OFFSET == 4 || DATA_OFFSET == 8);
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
        int fd = closedDescriptor();
        assertEquals(-Errno.EBADF, Epoll.epollCtl(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, 0));
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> new FdSocket(fd).read(data, 0, 1));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
    }

    @Test
    void eventfdWakesABlockedWaitFromAnotherThread() throws Exception {
        assertWakeupUnblocksABlockedPoll(new EpollPoller(16), "epoll_wait");
    }
}

// SPDX-License-Identifier: Apache-2.0
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.NetSocket;
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
 * The kqueue syscall mirror against real loopback sockets: each kernel behaviour we rely on.
 * Twin of {@code EpollMirrorTest}; the socket-level tests they share are inherited from
 * {@link NativeMirrorTestBase}. Runs on macOS/BSD, and on Linux against libkqueue in the
 * {@code kqueue-libkqueue} surefire execution.
 */
@Tag("native")
@Tag("kqueue")
@Timeout(30)
class KqueueMirrorTest extends NativeMirrorTestBase {
    private IoBuffer events;
    private int kq;

    @BeforeAll
    static void requireKqueue() {
        NativeSupport.assumeAvailable(Transport.KQUEUE);
        // libkqueue opens process-wide descriptors (its monitoring thread's) with the first
        // kqueue and keeps them: open them before any test takes its descriptor baseline.
        NativeSocket.close(Kqueue.kqueueCreate());
    }

    @BeforeEach
    void openKqueue() throws Exception {
        events = Kqueue.newEventArray(64);
        kq = NativeSocket.check("kqueue", Kqueue.kqueueCreate());
        cleanup.add(() -> NativeSocket.close(kq));
    }

    @Override
    protected void registerInFreshPollerAndClose(int fd, int token) {
        int q = Kqueue.kqueueCreate();
        assertTrue(q >= 0, "kqueue: " + q);
        assertEquals(0, Kqueue.keventCtl(q, fd, EVFILT_READ, EV_ADD, 0, token));
        NativeSocket.close(q);
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
        return Kqueue.getFilter(events.buffer(), i);
    }

    private int eventFlags(int i) {
        return Kqueue.getFlags(events.buffer(), i);
    }

    private int eventFflags(int i) {
        return Kqueue.getFflags(events.buffer(), i);
    }

    private long eventIdent(int i) {
        return Kqueue.getIdent(events.buffer(), i);
    }

    private long eventData(int i) {
        return Kqueue.getData(events.buffer(), i);
    }

    private long eventUdata(int i) {
        return Kqueue.getUdata(events.buffer(), i);
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
            assertEquals("linux", io.pollwire.transport.loader.Platform.os(),
                    "finishConnect must see ECONNREFUSED; only libkqueue consumes SO_ERROR");
        } catch (NativeIoException e) {
            assertEquals(Errno.ECONNREFUSED, e.errno());
        }
    }

    @Test
    void closedDescriptorIsEbadf() {
        int fd = closedDescriptor();
        assertEquals(-Errno.EBADF, ctl(fd, EVFILT_READ, EV_ADD, 0));
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> new FdSocket(fd).read(data, 0, 1));
        assertEquals(Errno.EBADF, e.errno());
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
        assertWakeupUnblocksABlockedPoll(new KqueuePoller(16), "kevent");
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
            NetSocket server = awaitAccept(l);
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
}

package io.pollwire.transport.epoll;

import static io.pollwire.transport.epoll.Epoll.Const.DATA_OFFSET;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLERR;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLHUP;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLIN;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLLOUT;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_ADD;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_DEL;
import static io.pollwire.transport.epoll.Epoll.Const.EPOLL_CTL_MOD;
import static io.pollwire.transport.epoll.Epoll.Const.EVENTS_OFFSET;
import static io.pollwire.transport.epoll.Epoll.Const.EVENT_SIZE;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import io.pollwire.transport.unix.Errno;
import io.pollwire.transport.unix.FdHandle;
import io.pollwire.transport.unix.NativeIoException;
import io.pollwire.transport.unix.NativeSocket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link Poller} over Linux epoll, level-triggered. Level triggering lets a loop read once per
 * event and move on (fairness) without the extra read-until-EAGAIN syscall edge triggering
 * demands; the kernel simply reports the socket again.
 */
public final class EpollPoller implements Poller {
    /** Token of the wakeup eventfd; filtered out of the events handed to the loop. */
    private static final long WAKEUP_DATA = -1L;

    private final int epfd;
    private final int eventFd;
    private final IoBuffer events;
    private final ByteBuffer eventView;
    private final int maxEvents;
    private final int[] tokens;
    private final int[] ops;
    /** Read by {@link #wakeup()} from other threads: never signal a descriptor number we gave back. */
    private volatile boolean closed;

    /**
     * @param maxEvents most events one poll returns
     * @throws NativeIoException when epoll or eventfd cannot be created
     */
    public EpollPoller(int maxEvents) throws NativeIoException {
        this.maxEvents = maxEvents;
        this.epfd = NativeSocket.check("epoll_create1", Epoll.epollCreate());
        int efd = Epoll.eventfdCreate();
        if (efd < 0) {
            NativeSocket.close(epfd);
            throw new NativeIoException("eventfd", -efd);
        }
        this.eventFd = efd;
        int r = Epoll.epollCtl(epfd, EPOLL_CTL_ADD, eventFd, EPOLLIN, WAKEUP_DATA);
        if (r < 0) {
            NativeSocket.close(eventFd);
            NativeSocket.close(epfd);
            throw new NativeIoException("epoll_ctl", -r, "eventfd");
        }
        this.events = IoBuffer.allocate(maxEvents * EVENT_SIZE);
        this.eventView = events.buffer();
        this.tokens = new int[maxEvents];
        this.ops = new int[maxEvents];
    }

    private static int epollMask(int interest) {
        // No EPOLLRDHUP: a FIN already makes the socket readable, and on a connection whose
        // reading is paused a level-triggered RDHUP would wake the loop in a spin.
        int mask = 0;
        if ((interest & READ) != 0) {
            mask |= EPOLLIN;
        }
        if ((interest & WRITE) != 0) {
            mask |= EPOLLOUT;
        }
        return mask;
    }

    @Override
    public void register(Pollable target, int token, int interest) throws IOException {
        ctl(EPOLL_CTL_ADD, target, token, interest);
    }

    @Override
    public void modify(Pollable target, int token, int interest) throws IOException {
        ctl(EPOLL_CTL_MOD, target, token, interest);
    }

    @Override
    public void deregister(Pollable target) throws IOException {
        ctl(EPOLL_CTL_DEL, target, 0, 0);
    }

    private void ctl(int op, Pollable target, int token, int interest) throws NativeIoException {
        int r = Epoll.epollCtl(epfd, op, ((FdHandle) target).fd(), epollMask(interest),
                token & 0xffffffffL);
        if (r < 0) {
            throw new NativeIoException("epoll_ctl", -r);
        }
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        int n = Epoll.epollWait(epfd, events.address(), maxEvents, timeoutMillis);
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            throw new NativeIoException("epoll_wait", -n);
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            int at = i * EVENT_SIZE;
            long data = eventView.getLong(at + DATA_OFFSET);
            if (data == WAKEUP_DATA) {
                Epoll.eventfdRead(eventFd);
                continue;
            }
            int ev = eventView.getInt(at + EVENTS_OFFSET);
            int ready = 0;
            if ((ev & EPOLLIN) != 0) {
                ready |= READ;
            }
            if ((ev & EPOLLOUT) != 0) {
                ready |= WRITE;
            }
            if ((ev & (EPOLLERR | EPOLLHUP)) != 0) {
                ready = READ | WRITE;
            }
            tokens[count] = (int) data;
            ops[count] = ready;
            count++;
        }
        return count;
    }

    @Override
    public int token(int index) {
        return tokens[index];
    }

    @Override
    public int readyOps(int index) {
        return ops[index];
    }

    @Override
    public void wakeup() {
        if (!closed) {
            Epoll.eventfdWrite(eventFd);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeSocket.close(eventFd);
            NativeSocket.close(epfd);
        }
    }
}

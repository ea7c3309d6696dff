// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.kqueue;

import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_READ;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_USER;
import static io.pollwire.transport.kqueue.Kqueue.Const.EVFILT_WRITE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_ADD;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_CLEAR;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_DELETE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_DISABLE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_ENABLE;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_EOF;
import static io.pollwire.transport.kqueue.Kqueue.Const.EV_ERROR;
import static io.pollwire.transport.kqueue.Kqueue.Const.ENOENT;
import static io.pollwire.transport.kqueue.Kqueue.Const.NOTE_TRIGGER;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import io.pollwire.transport.loader.Platform;
import io.pollwire.transport.unix.Errno;
import io.pollwire.transport.unix.FdHandle;
import io.pollwire.transport.unix.NativeIoException;
import io.pollwire.transport.unix.NativeSocket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@link Poller} over BSD/macOS kqueue, level-triggered. Level triggering lets a loop read once
 * per event and move on (fairness) without the extra read-until-EAGAIN syscall edge triggering
 * ({@code EV_CLEAR}) demands; the kernel simply reports the socket again.
 *
 * <p>kqueue keeps one registration (knote) per socket and filter where epoll keeps one mask per
 * socket, so a socket may come back as two events (one READ, one WRITE) from one poll, and a
 * change touches both filters. Unlike epoll, an interest of 0 disables both filters: errors
 * then surface at the next enabled filter or I/O call instead of as an event.
 *
 * <p>On Linux this runs over libkqueue (tests only), which cannot see a {@code close()}: the
 * closed socket's knotes outlive it and would swallow the registration of the next socket that
 * gets the same descriptor number, so {@link #register} first drops any such leftovers.
 *
 * <p>Line-for-line twin of {@code EpollPoller}: a {@code diff} of the two shows only what the
 * kernels do differently. Wakeup is an EVFILT_USER event, reset by EV_CLEAR when reported.
 */
public final class KqueuePoller implements Poller {
    /** Token of the wakeup user event; filtered out of the events handed to the loop. */
    private static final long WAKEUP_DATA = -1L;
    /** EVFILT_USER idents are a namespace of their own, apart from file descriptors. */
    private static final long WAKEUP_IDENT = 0L;
    /** A userspace kqueue (libkqueue on Linux) keeps a closed descriptor's knotes. */
    private static final boolean KNOTES_OUTLIVE_CLOSE = Platform.os().equals("linux");

    private final int kq;
    private final IoBuffer events;
    private final ByteBuffer eventView;
    private final int maxEvents;
    private final int[] tokens;
    private final int[] ops;
    /** Raw events of the last poll (wakeups included), for {@link #socketError}. */
    private int lastRaw;
    /** Read by {@link #wakeup()} from other threads: never signal a descriptor number we gave back. */
    private volatile boolean closed;

    /**
     * @param maxEvents most events one poll returns
     * @throws NativeIoException when the kqueue or its wakeup event cannot be created
     */
    public KqueuePoller(int maxEvents) throws NativeIoException {
        this.maxEvents = maxEvents;
        this.kq = NativeSocket.check("kqueue", Kqueue.kqueueCreate());
        // EV_CLEAR: the user event resets once reported, so unlike an eventfd nothing is drained.
        int r = Kqueue.keventCtl(kq, WAKEUP_IDENT, EVFILT_USER, EV_ADD | EV_CLEAR, 0, WAKEUP_DATA);
        if (r < 0) {
            NativeSocket.close(kq);
            throw new NativeIoException("kevent", -r, "EVFILT_USER");
        }
        this.events = Kqueue.newEventArray(maxEvents);
        this.eventView = events.buffer();
        this.tokens = new int[maxEvents];
        this.ops = new int[maxEvents];
    }

    @Override
    public void register(Pollable target, int token, int interest) throws IOException {
        int fd = ((FdHandle) target).fd();
        if (KNOTES_OUTLIVE_CLOSE) {
            forget(fd);
        }
        // Only the wanted filters: EV_ADD|EV_DISABLE would do for the others on BSD, but
        // libkqueue reports such a filter anyway.
        if ((interest & READ) != 0) {
            change(fd, EVFILT_READ, EV_ADD, token);
        }
        if ((interest & WRITE) != 0) {
            change(fd, EVFILT_WRITE, EV_ADD, token);
        }
    }

    @Override
    public void modify(Pollable target, int token, int interest) throws IOException {
        int fd = ((FdHandle) target).fd();
        change(fd, EVFILT_READ, (interest & READ) != 0 ? EV_ENABLE : EV_DISABLE, token);
        change(fd, EVFILT_WRITE, (interest & WRITE) != 0 ? EV_ENABLE : EV_DISABLE, token);
    }

    @Override
    public void deregister(Pollable target) throws IOException {
        int fd = ((FdHandle) target).fd();
        change(fd, EVFILT_READ, EV_DELETE, 0);
        change(fd, EVFILT_WRITE, EV_DELETE, 0);
    }

    /**
     * Applies one change. Both filters are touched whatever the previous interest was, so the
     * poller keeps no state: a filter never added is added on EV_ENABLE and needs nothing on
     * EV_DISABLE or EV_DELETE (kevent says ENOENT).
     */
    private void change(int fd, int filter, int flags, int token) throws NativeIoException {
        int r = Kqueue.keventCtl(kq, fd, filter, flags, 0, token & 0xffffffffL);
        if (r == -ENOENT) {
            r = flags == EV_ENABLE ? Kqueue.keventCtl(kq, fd, filter, EV_ADD, 0, token & 0xffffffffL)
                    : 0;
        }
        if (r < 0) {
            throw new NativeIoException("kevent", -r);
        }
    }

    /** Drops both filters of {@code fd}, if any, ignoring the result (they may not exist). */
    private void forget(int fd) {
        Kqueue.keventCtl(kq, fd, EVFILT_READ, EV_DELETE, 0, 0);
        Kqueue.keventCtl(kq, fd, EVFILT_WRITE, EV_DELETE, 0, 0);
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        int n = Kqueue.keventWait(kq, events.address(), maxEvents, timeoutMillis);
        if (n < 0) {
            if (n == -Errno.EINTR) {
                return 0;
            }
            throw new NativeIoException("kevent", -n);
        }
        int count = 0;
        lastRaw = n;
        for (int i = 0; i < n; i++) {
            long data = Kqueue.getUdata(eventView, i);
            if (data == WAKEUP_DATA) {
                continue; // EV_CLEAR has already reset it
            }
            tokens[count] = (int) data;
            ops[count] = readiness(Kqueue.getFilter(eventView, i), Kqueue.getFlags(eventView, i));
            count++;
        }
        return count;
    }

    /** EOF and error count as both, so that the next read or write sees the condition. */
    private static int readiness(int filter, int flags) {
        if ((flags & (EV_EOF | EV_ERROR)) != 0) {
            return READ | WRITE;
        }
        return (filter == EVFILT_READ ? READ : 0) | (filter == EVFILT_WRITE ? WRITE : 0);
    }

    /**
     * kqueue reports a socket's error with its EV_EOF event (in {@code fflags}), and libkqueue
     * reads SO_ERROR to do so, which clears it: a connect's failure is then only known here.
     */
    @Override
    public int socketError(int token) {
        for (int i = 0; i < lastRaw; i++) {
            if (Kqueue.getUdata(eventView, i) == (token & 0xffffffffL)
                    && (Kqueue.getFlags(eventView, i) & EV_EOF) != 0) {
                int err = Kqueue.getFflags(eventView, i);
                if (err != 0) {
                    return err;
                }
            }
        }
        return 0;
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
            Kqueue.keventCtl(kq, WAKEUP_IDENT, EVFILT_USER, 0, NOTE_TRIGGER, WAKEUP_DATA);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            NativeSocket.close(kq);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.epoll;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.loader.NativeLibrary;
import java.nio.ByteBuffer;

/**
 * Syscall mirror of {@code native/epoll.c}: epoll and eventfd, kernel argument order, results
 * {@code >= 0} or {@code -errno}. Struct layout comes from C; Java never assumes it (the
 * {@code struct epoll_event} is packed on x86_64 but not on aarch64).
 *
 * <p>The values read from C sit in {@link Const}, not here: {@code JNI_OnLoad} finds this
 * class with {@code FindClass}, which runs its static initialiser before the natives are bound.
 */
final class Epoll {
    // Ids understood by constant(int); javac -h exports them to C.
    static final int K_EPOLLIN = 1;
    static final int K_EPOLLOUT = 2;
    static final int K_EPOLLRDHUP = 3;
    static final int K_EPOLLHUP = 4;
    static final int K_EPOLLERR = 5;
    static final int K_EPOLLET = 6;
    static final int K_EPOLL_CTL_ADD = 10;
    static final int K_EPOLL_CTL_MOD = 11;
    static final int K_EPOLL_CTL_DEL = 12;
    static final int K_EVENT_SIZE = 20;
    static final int K_EVENTS_OFFSET = 21;
    static final int K_DATA_OFFSET = 22;

    private Epoll() {}

    static native int constant(int id);

    static native int epollCreate();

    static native int epollCtl(int epfd, int op, int fd, int events, long data);

    static native int epollWait(int epfd, long eventsAddress, int maxEvents, int timeoutMillis);

    static native int eventfdCreate();

    static native int eventfdWrite(int fd);

    static native int eventfdRead(int fd);

    // The event array epollWait fills, read the way OpenJDK's sun.nio.ch.EPoll reads it.

    /** @return a Java-owned array of {@code n} {@code struct epoll_event} for {@link #epollWait} */
    static IoBuffer newEventArray(int n) {
        return IoBuffer.allocate(n * Const.EVENT_SIZE);
    }

    /** @return the {@code events} mask of entry {@code i} */
    static int getEvents(ByteBuffer array, int i) {
        return array.getInt(i * Const.EVENT_SIZE + Const.EVENTS_OFFSET);
    }

    /** @return the {@code data.u64} of entry {@code i}: the token given to {@link #epollCtl} */
    static long getData(ByteBuffer array, int i) {
        return array.getLong(i * Const.EVENT_SIZE + Const.DATA_OFFSET);
    }

    /** Kernel constants and the {@code struct epoll_event} layout, read from C on first use. */
    static final class Const {
        static {
            NativeLibrary.ensureLoaded();
        }

        static final int EPOLLIN = constant(K_EPOLLIN);
        static final int EPOLLOUT = constant(K_EPOLLOUT);
        static final int EPOLLRDHUP = constant(K_EPOLLRDHUP);
        static final int EPOLLHUP = constant(K_EPOLLHUP);
        static final int EPOLLERR = constant(K_EPOLLERR);
        static final int EPOLLET = constant(K_EPOLLET);
        static final int EPOLL_CTL_ADD = constant(K_EPOLL_CTL_ADD);
        static final int EPOLL_CTL_MOD = constant(K_EPOLL_CTL_MOD);
        static final int EPOLL_CTL_DEL = constant(K_EPOLL_CTL_DEL);
        static final int EVENT_SIZE = constant(K_EVENT_SIZE);
        static final int EVENTS_OFFSET = constant(K_EVENTS_OFFSET);
        static final int DATA_OFFSET = constant(K_DATA_OFFSET);

        private Const() {}
    }
}

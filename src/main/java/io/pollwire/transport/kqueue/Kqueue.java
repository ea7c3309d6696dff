// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.kqueue;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.loader.NativeLibrary;
import java.nio.ByteBuffer;

/**
 * Syscall mirror of {@code native/kqueue.c}: kqueue and kevent, kernel argument order, results
 * {@code >= 0} or {@code -errno}. Struct layout comes from C; Java never assumes it (FreeBSD 12+
 * appends {@code ext[4]} to {@code struct kevent}, macOS does not).
 *
 * <p>The values read from C sit in {@link Const}, not here: {@code JNI_OnLoad} finds this
 * class with {@code FindClass}, which runs its static initialiser before the natives are bound.
 */
final class Kqueue {
    // Ids understood by constant(int); javac -h exports them to C.
    static final int K_EVFILT_READ = 1;
    static final int K_EVFILT_WRITE = 2;
    static final int K_EVFILT_USER = 3;
    static final int K_EV_ADD = 10;
    static final int K_EV_DELETE = 11;
    static final int K_EV_ENABLE = 12;
    static final int K_EV_DISABLE = 13;
    static final int K_EV_CLEAR = 14;
    static final int K_EV_EOF = 15;
    static final int K_EV_ERROR = 16;
    static final int K_NOTE_TRIGGER = 17;
    static final int K_ENOENT = 18;
    static final int K_EVENT_SIZE = 20;
    static final int K_IDENT_OFFSET = 21;
    static final int K_FILTER_OFFSET = 22;
    static final int K_FLAGS_OFFSET = 23;
    static final int K_FFLAGS_OFFSET = 24;
    static final int K_DATA_OFFSET = 25;
    static final int K_UDATA_OFFSET = 26;

    private Kqueue() {}

    static native int constant(int id);

    static native int kqueueCreate();

    /** One change, no events: {@code EV_SET(ident, filter, flags, fflags, 0, udata)}. */
    static native int keventCtl(int kq, long ident, int filter, int flags, int fflags, long udata);

    static native int keventWait(int kq, long eventsAddress, int maxEvents, int timeoutMillis);

    // The event array keventWait fills, read the way OpenJDK's sun.nio.ch.KQueue reads it.

    /** @return a Java-owned array of {@code n} {@code struct kevent} for {@link #keventWait} */
    static IoBuffer newEventArray(int n) {
        return IoBuffer.allocate(n * Const.EVENT_SIZE);
    }

    /** @return the {@code ident} (a descriptor, or the user event's id) of entry {@code i} */
    static long getIdent(ByteBuffer array, int i) {
        return array.getLong(i * Const.EVENT_SIZE + Const.IDENT_OFFSET);
    }

    /** @return the {@code filter} of entry {@code i} (EVFILT_*, small negative numbers) */
    static int getFilter(ByteBuffer array, int i) {
        return array.getShort(i * Const.EVENT_SIZE + Const.FILTER_OFFSET);
    }

    /** @return the {@code flags} (EV_*, unsigned 16 bits) of entry {@code i} */
    static int getFlags(ByteBuffer array, int i) {
        return array.getShort(i * Const.EVENT_SIZE + Const.FLAGS_OFFSET) & 0xffff;
    }

    /** @return the {@code fflags} of entry {@code i} (the errno with EV_EOF on a socket) */
    static int getFflags(ByteBuffer array, int i) {
        return array.getInt(i * Const.EVENT_SIZE + Const.FFLAGS_OFFSET);
    }

    /** @return the {@code data} of entry {@code i} (e.g. bytes readable, or an errno) */
    static long getData(ByteBuffer array, int i) {
        return array.getLong(i * Const.EVENT_SIZE + Const.DATA_OFFSET);
    }

    /** @return the {@code udata} of entry {@code i}: the token given to {@link #keventCtl} */
    static long getUdata(ByteBuffer array, int i) {
        return array.getLong(i * Const.EVENT_SIZE + Const.UDATA_OFFSET);
    }

    /** Kernel constants and the {@code struct kevent} layout, read from C on first use. */
    static final class Const {
        static {
            NativeLibrary.ensureLoaded();
        }

        static final int EVFILT_READ = constant(K_EVFILT_READ);
        static final int EVFILT_WRITE = constant(K_EVFILT_WRITE);
        static final int EVFILT_USER = constant(K_EVFILT_USER);
        static final int EV_ADD = constant(K_EV_ADD);
        static final int EV_DELETE = constant(K_EV_DELETE);
        static final int EV_ENABLE = constant(K_EV_ENABLE);
        static final int EV_DISABLE = constant(K_EV_DISABLE);
        static final int EV_CLEAR = constant(K_EV_CLEAR);
        static final int EV_EOF = constant(K_EV_EOF);
        static final int EV_ERROR = constant(K_EV_ERROR);
        static final int NOTE_TRIGGER = constant(K_NOTE_TRIGGER);
        /** kevent's answer to a change of a filter that was never added. */
        static final int ENOENT = constant(K_ENOENT);
        static final int EVENT_SIZE = constant(K_EVENT_SIZE);
        static final int IDENT_OFFSET = constant(K_IDENT_OFFSET);
        static final int FILTER_OFFSET = constant(K_FILTER_OFFSET);
        static final int FLAGS_OFFSET = constant(K_FLAGS_OFFSET);
        static final int FFLAGS_OFFSET = constant(K_FFLAGS_OFFSET);
        static final int DATA_OFFSET = constant(K_DATA_OFFSET);
        static final int UDATA_OFFSET = constant(K_UDATA_OFFSET);

        private Const() {}
    }
}

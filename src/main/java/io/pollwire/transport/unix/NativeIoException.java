// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;
import java.net.SocketException;

/**
 * A system call failed: carries the call's name and the {@code errno} it returned.
 *
 * <p>The native layer returns {@code -errno} instead of throwing; Java turns the values that
 * are real errors into this one exception type. {@code EAGAIN} and {@code EINTR} are results,
 * never exceptions.
 *
 * <p>A {@link SocketException}, as the JDK's own socket errors are (NIO reports a reset as
 * {@code java.net.SocketException: Connection reset}): a handler's {@code onClose} cause can be
 * tested the same way on every transport without naming this internal type.
 */
public final class NativeIoException extends SocketException {
    private static final long serialVersionUID = 1L;

    private static final String[] TEXT = new String[256];

    private final String operation;
    private final int errno;

    /**
     * @param operation the system call that failed, e.g. {@code "epoll_ctl"}
     * @param errno the positive error number it reported
     */
    public NativeIoException(String operation, int errno) {
        this(operation, errno, null);
    }

    /**
     * @param operation the system call that failed
     * @param errno the positive error number it reported
     * @param detail extra context (an address, a path), or null
     */
    public NativeIoException(String operation, int errno, String detail) {
        super(operation + "(" + (detail == null ? "" : detail) + ") failed: "
                + text(errno) + " (errno " + errno + ")");
        this.operation = operation;
        this.errno = errno;
    }

    /**
     * Text of an errno ({@code strerror}), asked of C once per value and cached: exceptions never pay a JNI call
     * for a message they might not print.
     */
    public static String text(int errno) {
        if (errno <= 0 || errno >= TEXT.length) {
            return NativeLibrary.isLoaded() ? NativeSocket.strerror(errno) : "errno " + errno;
        }
        String text = TEXT[errno];
        if (text == null) {
            text = NativeLibrary.isLoaded() ? NativeSocket.strerror(errno) : "errno " + errno;
            TEXT[errno] = text;
        }
        return text;
    }

    /** @return the system call that failed, e.g. {@code "connect"} */
    public String operation() {
        return operation;
    }

    /** @return the positive {@code errno} value */
    public int errno() {
        return errno;
    }
}

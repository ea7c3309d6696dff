// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import io.pollwire.transport.unix.Errno;
import io.pollwire.transport.unix.NativeIoException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Turns a failed connect into the exception the JDK would throw for it, with the address in the
 * message and the raw error as cause: {@code ConnectException: connect(/127.0.0.1:1) failed:
 * Connection refused}. Netty's {@code Errors.newConnectException0} does the same for its native
 * transports. Types, the same on every transport: refused or no such socket file is {@link ConnectException}, no route
 * ({@code EHOSTUNREACH}, {@code ENETUNREACH}) is {@link NoRouteToHostException}, a timeout is
 * {@link SocketTimeoutException} (as {@code Socket.connect(address, timeout)}), anything else a
 * {@link SocketException}.
 */
public final class ConnectErrors {
    private ConnectErrors() {}

    /**
     * @param address where the connect went
     * @param cause the raw failure from {@link NetSocket#startConnect()} or
     *     {@link NetSocket#finishConnect(int)}
     * @return the exception to report
     */
    public static IOException failed(SocketAddress address, IOException cause) {
        String reason = reason(cause);
        String message = "connect(" + address + ") failed: " + reason;
        IOException e;
        if (cause instanceof NativeIoException) {
            int errno = ((NativeIoException) cause).errno();
            if (errno == Errno.ECONNREFUSED || errno == Errno.ENOENT || errno == Errno.EAGAIN
                    || errno == Errno.ENOTCONN) {
                e = new ConnectException(message);
            } else if (errno == Errno.EHOSTUNREACH || errno == Errno.ENETUNREACH) {
                e = new NoRouteToHostException(message);
            } else if (errno == Errno.ETIMEDOUT) {
                e = new SocketTimeoutException(message);
            } else {
                e = new SocketException(message);
            }
        } else if (cause instanceof NoRouteToHostException) {
            e = new NoRouteToHostException(message);
        } else if (cause instanceof ConnectException || reason.contains("No such file")) {
            // the JDK says SocketException for a Unix socket path that does not exist; the
            // native transports (ENOENT) and callers treat it as refused: nobody listens there
            e = new ConnectException(message);
        } else if (cause instanceof SocketTimeoutException) {
            e = new SocketTimeoutException(message);
        } else {
            e = new SocketException(message);
        }
        e.initCause(cause);
        return e;
    }

    /**
     * @param address where the connect went
     * @param timeoutNanos the timeout that passed
     * @return {@code SocketTimeoutException: connect(/10.0.0.1:80) timed out after 250 ms}
     */
    public static SocketTimeoutException timedOut(SocketAddress address, long timeoutNanos) {
        return new SocketTimeoutException("connect(" + address + ") timed out after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /** The kernel's words for the error, without our own decoration. */
    private static String reason(IOException cause) {
        if (cause instanceof NativeIoException) {
            return NativeIoException.text(((NativeIoException) cause).errno());
        }
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;

/** errno values of this platform, read from C on first use (they differ between OSes). */
public final class Errno {
    static {
        NativeLibrary.ensureLoaded(); // whoever touches this class first, the library is there
    }

    public static final int EAGAIN = NativeSocket.constant(NativeSocket.K_EAGAIN);
    public static final int EINTR = NativeSocket.constant(NativeSocket.K_EINTR);
    public static final int EINPROGRESS = NativeSocket.constant(NativeSocket.K_EINPROGRESS);
    public static final int ECONNRESET = NativeSocket.constant(NativeSocket.K_ECONNRESET);
    public static final int EPIPE = NativeSocket.constant(NativeSocket.K_EPIPE);
    public static final int EMFILE = NativeSocket.constant(NativeSocket.K_EMFILE);
    public static final int ENFILE = NativeSocket.constant(NativeSocket.K_ENFILE);
    public static final int ENOBUFS = NativeSocket.constant(NativeSocket.K_ENOBUFS);
    public static final int ENOMEM = NativeSocket.constant(NativeSocket.K_ENOMEM);
    public static final int ECONNABORTED = NativeSocket.constant(NativeSocket.K_ECONNABORTED);
    public static final int EBADF = NativeSocket.constant(NativeSocket.K_EBADF);
    public static final int ECONNREFUSED = NativeSocket.constant(NativeSocket.K_ECONNREFUSED);
    public static final int EADDRINUSE = NativeSocket.constant(NativeSocket.K_EADDRINUSE);
    public static final int ETIMEDOUT = NativeSocket.constant(NativeSocket.K_ETIMEDOUT);
    public static final int ENOTCONN = NativeSocket.constant(NativeSocket.K_ENOTCONN);
    public static final int EPROTO = NativeSocket.constant(NativeSocket.K_EPROTO);
    public static final int EPERM = NativeSocket.constant(NativeSocket.K_EPERM);
    public static final int ENETDOWN = NativeSocket.constant(NativeSocket.K_ENETDOWN);
    public static final int ENOPROTOOPT = NativeSocket.constant(NativeSocket.K_ENOPROTOOPT);
    public static final int EHOSTDOWN = NativeSocket.constant(NativeSocket.K_EHOSTDOWN);
    /** Linux only; -1 elsewhere. */
    public static final int ENONET = NativeSocket.constant(NativeSocket.K_ENONET);
    public static final int EHOSTUNREACH = NativeSocket.constant(NativeSocket.K_EHOSTUNREACH);
    public static final int EOPNOTSUPP = NativeSocket.constant(NativeSocket.K_EOPNOTSUPP);
    public static final int ENETUNREACH = NativeSocket.constant(NativeSocket.K_ENETUNREACH);
    public static final int ENAMETOOLONG = NativeSocket.constant(NativeSocket.K_ENAMETOOLONG);
    public static final int ENOENT = NativeSocket.constant(NativeSocket.K_ENOENT);

    private Errno() {}
}

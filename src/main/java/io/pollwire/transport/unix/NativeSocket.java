// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;
import java.nio.ByteBuffer;

/**
 * Syscall mirror of {@code native/socket.c}: one static native per call, the kernel's argument
 * order, results {@code >= 0} or {@code -errno}. No policy lives here.
 *
 * <p>Internal: touched only after {@link NativeLibrary} has loaded the library. This class has
 * no static initialiser on purpose: {@code JNI_OnLoad} looks it up with {@code FindClass},
 * which initialises it before its natives are bound. Values read from C live in {@link Errno},
 * {@link SocketOption} and {@link Iovec}, initialised on first use.
 */
public final class NativeSocket {
    // Ids understood by constant(int). javac -h exports them to C as #defines.
    static final int K_EAGAIN = 1;
    static final int K_EINTR = 2;
    static final int K_EINPROGRESS = 3;
    static final int K_ECONNRESET = 4;
    static final int K_EPIPE = 5;
    static final int K_EMFILE = 6;
    static final int K_ENFILE = 7;
    static final int K_ENOBUFS = 8;
    static final int K_ENOMEM = 9;
    static final int K_ECONNABORTED = 10;
    static final int K_EBADF = 11;
    static final int K_ECONNREFUSED = 12;
    static final int K_EADDRINUSE = 13;
    static final int K_ETIMEDOUT = 14;
    static final int K_ENOTCONN = 15;
    static final int K_EPROTO = 16;
    static final int K_EPERM = 17;
    static final int K_ENETDOWN = 18;
    static final int K_ENOPROTOOPT = 19;
    static final int K_EHOSTDOWN = 20;
    static final int K_ENONET = 21;
    static final int K_EHOSTUNREACH = 22;
    static final int K_EOPNOTSUPP = 23;
    static final int K_ENETUNREACH = 24;
    static final int K_ENAMETOOLONG = 25;
    static final int K_ENOENT = 26;
    static final int K_SOL_SOCKET = 30;
    static final int K_IPPROTO_TCP = 31;
    static final int K_SO_REUSEADDR = 32;
    static final int K_SO_REUSEPORT = 33;
    static final int K_SO_KEEPALIVE = 34;
    static final int K_SO_RCVBUF = 35;
    static final int K_SO_SNDBUF = 36;
    static final int K_TCP_NODELAY = 37;
    static final int K_TCP_KEEPIDLE = 38;
    static final int K_TCP_KEEPINTVL = 39;
    static final int K_TCP_KEEPCNT = 43;
    static final int K_SHUT_RD = 40;
    static final int K_SHUT_WR = 41;
    static final int K_SHUT_RDWR = 42;
    static final int K_IOV_SIZE = 50;
    static final int K_IOV_BASE_OFFSET = 51;
    static final int K_IOV_LEN_OFFSET = 52;
    static final int K_IOV_MAX = 53;

    /** The ABI this Java code was written against; see {@code PW_ABI_VERSION}. */
    public static final int EXPECTED_ABI_VERSION = 5;

    private NativeSocket() {}

    /**
     * Turns a negative native result into an exception, passing other values through.
     *
     * @throws NativeIoException when {@code result < 0}
     */
    public static int check(String operation, int result) throws NativeIoException {
        if (result < 0) {
            throw new NativeIoException(operation, -result);
        }
        return result;
    }

    public static native int abiVersion();

    /** @return {@code "epoll"} or {@code "kqueue"}: the backend file this library was built from */
    public static native String backend();

    static native String strerror(int errno);

    /** @return the native address of a direct buffer (Java keeps the buffer reachable) */
    public static native long address(ByteBuffer directBuffer);

    static native int constant(int id);

    public static native int socket(boolean ipv6);

    public static native int bind(int fd, byte[] address, int scopeId, int port);

    public static native int listen(int fd, int backlog);

    /** accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC (accept + fcntl where there is no accept4). */
    public static native int accept(int fd);

    public static native int connect(int fd, byte[] address, int scopeId, int port);

    /** @return 0 once a non-blocking connect succeeded, else {@code -SO_ERROR} */
    public static native int finishConnect(int fd);

    /** Fills a 24-byte array: family (4/6), port (big-endian, bytes 2..3), scope, address. */
    public static native int localAddress(int fd, byte[] out);

    public static native int peerAddress(int fd, byte[] out);

    /** @return bytes read, 0 at end of stream, or {@code -errno} ({@code -EAGAIN} if none) */
    public static native int read(int fd, long address, int length);

    /** send() with MSG_NOSIGNAL (SO_NOSIGPIPE on BSD): never raises SIGPIPE. */
    public static native int write(int fd, long address, int length);

    /** sendmsg() over {@code count} struct iovec laid out at {@code iovAddress}. */
    public static native long writev(int fd, long iovAddress, int count);

    /**
     * @return bytes of our output (FIN included) the peer has not acknowledged: Linux
     *     {@code ioctl(SIOCOUTQ)}, macOS {@code SO_NWRITE}; {@code -ENOSYS} where unknown
     */
    public static native int unacknowledged(int fd);

    /** @param how {@link SocketOption#SHUT_RD}, {@link SocketOption#SHUT_WR} or {@code SHUT_RDWR} */
    public static native int shutdown(int fd, int how);

    public static native int close(int fd);

    public static native int setIntOption(int fd, int level, int name, int value);

    public static native int getIntOption(int fd, int level, int name);

    public static native int setLinger(int fd, boolean on, int seconds);

    /** @return the {@code SO_LINGER} timeout in seconds, {@code Integer.MAX_VALUE} when off, or {@code -errno} */
    public static native int getLinger(int fd);

    // ---- AF_UNIX (native/unix.c) ----

    /** @return a non-blocking, close-on-exec {@code AF_UNIX} stream socket, or {@code -errno} */
    public static native int unixSocket();

    /** @param path the file path's bytes, no NUL; {@code -ENAMETOOLONG} past {@link #unixMaxPath()} */
    public static native int unixBind(int fd, byte[] path);

    /** Non-blocking connect to a path: 0, {@code -EINPROGRESS}/{@code -EAGAIN}, or {@code -errno}. */
    public static native int unixConnect(int fd, byte[] path);

    /** @return the longest path {@code sun_path} holds on this platform, in bytes */
    public static native int unixMaxPath();
}

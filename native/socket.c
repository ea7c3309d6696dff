// SPDX-License-Identifier: Apache-2.0
/*
 * Socket syscalls shared by every backend: one JNI function per syscall, kernel argument
 * order, -errno on failure. Addresses travel as byte[4] / byte[16] plus port and scope id
 * (converted in library.c, which also binds this file's natives through pw_socket_register).
 */
#define _GNU_SOURCE
#include "pollwire.h"
#include "io_pollwire_transport_unix_NativeSocket.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * The platform differences, chosen once here so that no function body needs an #ifdef.
 * Linux creates and accepts sockets non-blocking and close-on-exec in one call and drops
 * SIGPIPE per send (MSG_NOSIGNAL). macOS has no SOCK_NONBLOCK, SOCK_CLOEXEC, accept4 or
 * MSG_NOSIGNAL: it sets the flags with fcntl right after and turns SIGPIPE off per socket
 * with SO_NOSIGPIPE (a fork+exec racing between socket() and fcntl() can still inherit the
 * fd: macOS offers nothing atomic). The BSDs take this portable branch too.
 */
#if defined(__linux__)
#define PW_SEND_FLAGS MSG_NOSIGNAL
static int pw_socket(int domain) {
    return socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}
static int pw_accept(int fd) { return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }
static int pw_prepare_fd(int fd) { return fd; }
#else
#define PW_SEND_FLAGS 0
static int pw_socket(int domain) { return socket(domain, SOCK_STREAM, 0); }
static int pw_accept(int fd) { return accept(fd, NULL, NULL); }
static int pw_prepare_fd(int fd) {
    int one = 1;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) < 0)
        return -errno;
    return fd;
}
#endif

/*
 * Bytes of our output the peer has not acknowledged yet (our FIN counts as one): a lingering
 * close ends once this is 0. Linux: ioctl SIOCOUTQ (tcp(7)); macOS: SO_NWRITE; else unknown.
 */
#if defined(__linux__)
#include <linux/sockios.h>
#include <sys/ioctl.h>
static int pw_unacked(int fd) {
    int n = 0;
    return ioctl(fd, SIOCOUTQ, &n) < 0 ? -errno : n;
}
#elif defined(SO_NWRITE)
static int pw_unacked(int fd) {
    int n = 0;
    socklen_t len = sizeof(n);
    return getsockopt(fd, SOL_SOCKET, SO_NWRITE, &n, &len) < 0 ? -errno : n;
}
#else
static int pw_unacked(int fd) {
    (void)fd;
    return -ENOSYS;
}
#endif

/* Takes a fresh fd (or -1 with errno set) to a ready one; closes it if the setup fails. */
static int pw_finish_fd(int fd) {
    if (fd < 0) return -errno;
    int r = pw_prepare_fd(fd);
    if (r < 0) close(fd);
    return r;
}

int pw_new_socket(int domain) { return pw_finish_fd(pw_socket(domain)); }

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_socket(JNIEnv *e, jclass c,
                                                                           jboolean ipv6) {
    (void)e;
    (void)c;
    return pw_new_socket(ipv6 ? AF_INET6 : AF_INET);
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_bind(JNIEnv *env, jclass c,
                                                                         jint fd, jbyteArray addr,
                                                                         jint scope, jint port) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len;
    int r = pw_sockaddr(env, addr, scope, port, &ss, &len);
    return r < 0 ? r : pw_result(bind(fd, (struct sockaddr *)&ss, len));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_listen(JNIEnv *e, jclass c,
                                                                           jint fd, jint backlog) {
    (void)e;
    (void)c;
    return pw_result(listen(fd, backlog));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_accept(JNIEnv *e, jclass c,
                                                                           jint fd) {
    (void)e;
    (void)c;
    return pw_finish_fd(pw_accept(fd));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_connect(JNIEnv *env, jclass c,
                                                                            jint fd,
                                                                            jbyteArray addr,
                                                                            jint scope, jint port) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len;
    int r = pw_sockaddr(env, addr, scope, port, &ss, &len);
    return r < 0 ? r : pw_result(connect(fd, (struct sockaddr *)&ss, len));
}

/* After a non-blocking connect becomes writable: 0 when connected, else -SO_ERROR. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_finishConnect(JNIEnv *e,
                                                                                  jclass c,
                                                                                  jint fd) {
    (void)e;
    (void)c;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
    return -err;
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_localAddress(JNIEnv *env,
                                                                                 jclass c, jint fd,
                                                                                 jbyteArray out) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return -errno;
    return pw_export_addr(env, &ss, out);
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_peerAddress(JNIEnv *env,
                                                                                jclass c, jint fd,
                                                                                jbyteArray out) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) return -errno;
    return pw_export_addr(env, &ss, out);
}

/* Returns bytes read, 0 at end of stream, or -errno (-EAGAIN when nothing is there). */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_read(JNIEnv *e, jclass c,
                                                                         jint fd, jlong address,
                                                                         jint len) {
    (void)e;
    (void)c;
    return pw_result(read(fd, pw_ptr(address), (size_t)len));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_write(JNIEnv *e, jclass c,
                                                                          jint fd, jlong address,
                                                                          jint len) {
    (void)e;
    (void)c;
    return pw_result(send(fd, pw_ptr(address), (size_t)len, PW_SEND_FLAGS));
}

/* Gathering write of `count` struct iovec that Java laid out at `iov`. */
JNIEXPORT jlong JNICALL Java_io_pollwire_transport_unix_NativeSocket_writev(JNIEnv *e, jclass c,
                                                                            jint fd, jlong iov,
                                                                            jint count) {
    (void)e;
    (void)c;
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = pw_ptr(iov);
    msg.msg_iovlen = count;
    return pw_lresult(sendmsg(fd, &msg, PW_SEND_FLAGS));
}

/* `how` is the kernel's SHUT_RD, SHUT_WR or SHUT_RDWR, as Java read them from constant(). */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_shutdown(JNIEnv *e, jclass c,
                                                                             jint fd, jint how) {
    (void)e;
    (void)c;
    return pw_result(shutdown(fd, how));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_unacknowledged(JNIEnv *e,
                                                                                   jclass c,
                                                                                   jint fd) {
    (void)e;
    (void)c;
    return pw_unacked(fd);
}

/* close() is not retried on EINTR: on Linux the fd is gone either way. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_close(JNIEnv *e, jclass c,
                                                                          jint fd) {
    (void)e;
    (void)c;
    return pw_result(close(fd));
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_unix_NativeSocket_##name }
static const JNINativeMethod socket_methods[] = {
    M(socket, "(Z)I"),         M(bind, "(I[BII)I"),       M(listen, "(II)I"),
    M(accept, "(I)I"),         M(connect, "(I[BII)I"),    M(finishConnect, "(I)I"),
    M(localAddress, "(I[B)I"), M(peerAddress, "(I[B)I"),  M(read, "(IJI)I"),
    M(write, "(IJI)I"),        M(writev, "(IJI)J"),       M(shutdown, "(II)I"),
    M(close, "(I)I"),          M(unacknowledged, "(I)I"),
};
#undef M
/* clang-format on */

int pw_socket_register(JNIEnv *env) {
    return pw_register(env, PW_NATIVE_SOCKET, socket_methods, PW_COUNT(socket_methods));
}

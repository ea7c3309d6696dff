/*
 * Socket syscalls shared by every backend: one JNI function per syscall, kernel argument
 * order, -errno on failure. Addresses travel as byte[4] / byte[16] plus port and scope id.
 */
#define _GNU_SOURCE
#include "pollwire.h"
#include "io_pollwire_transport_unix_NativeSocket.h"

#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define ID(name) io_pollwire_transport_unix_NativeSocket_##name

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

/* Not every system has SO_REUSEPORT; Java reads a negative value as "not supported". */
#ifdef SO_REUSEPORT
#define PW_SO_REUSEPORT SO_REUSEPORT
#else
#define PW_SO_REUSEPORT (-ENOPROTOOPT)
#endif

/* ENONET is Linux's; elsewhere no accept fails with it, so any never-returned value will do. */
#ifdef ENONET
#define PW_ENONET ENONET
#else
#define PW_ENONET (-1)
#endif

/* Takes a fresh fd (or -1 with errno set) to a ready one; closes it if the setup fails. */
static int pw_finish_fd(int fd) {
    if (fd < 0) return -errno;
    int r = pw_prepare_fd(fd);
    if (r < 0) close(fd);
    return r;
}

/* Builds a sockaddr from byte[4] (AF_INET) or byte[16] (AF_INET6). */
static int pw_sockaddr(JNIEnv *env, jbyteArray addr, jint scope, jint port,
                       struct sockaddr_storage *ss, socklen_t *len) {
    memset(ss, 0, sizeof(*ss));
    jsize n = (*env)->GetArrayLength(env, addr);
    if (n == 4) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)port);
        (*env)->GetByteArrayRegion(env, addr, 0, 4, (jbyte *)&in->sin_addr);
        *len = sizeof(*in);
        return 0;
    }
    if (n == 16) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        in6->sin6_scope_id = (uint32_t)scope;
        (*env)->GetByteArrayRegion(env, addr, 0, 16, (jbyte *)&in6->sin6_addr);
        *len = sizeof(*in6);
        return 0;
    }
    return -EAFNOSUPPORT;
}

/* out layout (24 bytes): [0] 4 or 6, [2..3] port big-endian, [4..7] scope id, [8..] address. */
static jint pw_export_addr(JNIEnv *env, const struct sockaddr_storage *ss, jbyteArray out) {
    jbyte buf[24];
    memset(buf, 0, sizeof(buf));
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        buf[0] = 4;
        memcpy(buf + 2, &in->sin_port, 2);
        memcpy(buf + 8, &in->sin_addr, 4);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        uint32_t scope = in6->sin6_scope_id;
        buf[0] = 6;
        memcpy(buf + 2, &in6->sin6_port, 2);
        buf[4] = (jbyte)(scope >> 24);
        buf[5] = (jbyte)(scope >> 16);
        buf[6] = (jbyte)(scope >> 8);
        buf[7] = (jbyte)scope;
        memcpy(buf + 8, &in6->sin6_addr, 16);
    } else {
        return -EAFNOSUPPORT;
    }
    (*env)->SetByteArrayRegion(env, out, 0, 24, buf);
    return 0;
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_abiVersion(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    return PW_ABI_VERSION;
}

JNIEXPORT jstring JNICALL Java_io_pollwire_transport_unix_NativeSocket_backend(JNIEnv *env, jclass c) {
    (void)c;
    return (*env)->NewStringUTF(env, pw_backend_name());
}

JNIEXPORT jstring JNICALL Java_io_pollwire_transport_unix_NativeSocket_strerror(JNIEnv *env, jclass c,
                                                                           jint err) {
    (void)c;
    return (*env)->NewStringUTF(env, strerror(err));
}

JNIEXPORT jlong JNICALL Java_io_pollwire_transport_unix_NativeSocket_address(JNIEnv *env, jclass c,
                                                                        jobject buffer) {
    (void)c;
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_constant(JNIEnv *e, jclass c,
                                                                        jint id) {
    (void)e;
    (void)c;
    switch (id) {
    case ID(K_EAGAIN): return EAGAIN;
    case ID(K_EINTR): return EINTR;
    case ID(K_EINPROGRESS): return EINPROGRESS;
    case ID(K_ECONNRESET): return ECONNRESET;
    case ID(K_EPIPE): return EPIPE;
    case ID(K_EMFILE): return EMFILE;
    case ID(K_ENFILE): return ENFILE;
    case ID(K_ENOBUFS): return ENOBUFS;
    case ID(K_ENOMEM): return ENOMEM;
    case ID(K_ECONNABORTED): return ECONNABORTED;
    case ID(K_EBADF): return EBADF;
    case ID(K_ECONNREFUSED): return ECONNREFUSED;
    case ID(K_EADDRINUSE): return EADDRINUSE;
    case ID(K_ETIMEDOUT): return ETIMEDOUT;
    case ID(K_ENOTCONN): return ENOTCONN;
    case ID(K_EPROTO): return EPROTO;
    case ID(K_EPERM): return EPERM;
    /* Network errors accept4(2) passes on for one pending connection: retry, says the man page. */
    case ID(K_ENETDOWN): return ENETDOWN;
    case ID(K_ENOPROTOOPT): return ENOPROTOOPT;
    case ID(K_EHOSTDOWN): return EHOSTDOWN;
    case ID(K_ENONET): return PW_ENONET;
    case ID(K_EHOSTUNREACH): return EHOSTUNREACH;
    case ID(K_EOPNOTSUPP): return EOPNOTSUPP;
    case ID(K_ENETUNREACH): return ENETUNREACH;
    case ID(K_SOL_SOCKET): return SOL_SOCKET;
    case ID(K_IPPROTO_TCP): return IPPROTO_TCP;
    case ID(K_SO_REUSEADDR): return SO_REUSEADDR;
    case ID(K_SO_REUSEPORT): return PW_SO_REUSEPORT;
    case ID(K_SO_KEEPALIVE): return SO_KEEPALIVE;
    case ID(K_SO_RCVBUF): return SO_RCVBUF;
    case ID(K_SO_SNDBUF): return SO_SNDBUF;
    case ID(K_TCP_NODELAY): return TCP_NODELAY;
    case ID(K_IOV_SIZE): return (jint)sizeof(struct iovec);
    case ID(K_IOV_BASE_OFFSET): return (jint)offsetof(struct iovec, iov_base);
    case ID(K_IOV_LEN_OFFSET): return (jint)offsetof(struct iovec, iov_len);
    case ID(K_IOV_MAX): return IOV_MAX;
    default: return -EINVAL;
    }
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_socket(JNIEnv *e, jclass c,
                                                                      jboolean ipv6) {
    (void)e;
    (void)c;
    return pw_finish_fd(pw_socket(ipv6 ? AF_INET6 : AF_INET));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_bind(JNIEnv *env, jclass c, jint fd,
                                                                    jbyteArray addr, jint scope,
                                                                    jint port) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len;
    int r = pw_sockaddr(env, addr, scope, port, &ss, &len);
    return r < 0 ? r : pw_result(bind(fd, (struct sockaddr *)&ss, len));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_listen(JNIEnv *e, jclass c, jint fd,
                                                                      jint backlog) {
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
                                                                       jint fd, jbyteArray addr,
                                                                       jint scope, jint port) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len;
    int r = pw_sockaddr(env, addr, scope, port, &ss, &len);
    return r < 0 ? r : pw_result(connect(fd, (struct sockaddr *)&ss, len));
}

/* After a non-blocking connect becomes writable: 0 when connected, else -SO_ERROR. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_finishConnect(JNIEnv *e, jclass c,
                                                                             jint fd) {
    (void)e;
    (void)c;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) return -errno;
    return -err;
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_localAddress(JNIEnv *env, jclass c,
                                                                            jint fd,
                                                                            jbyteArray out) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) return -errno;
    return pw_export_addr(env, &ss, out);
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_peerAddress(JNIEnv *env, jclass c,
                                                                           jint fd,
                                                                           jbyteArray out) {
    (void)c;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0) return -errno;
    return pw_export_addr(env, &ss, out);
}

/* Returns bytes read, 0 at end of stream, or -errno (-EAGAIN when nothing is there). */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_read(JNIEnv *e, jclass c, jint fd,
                                                                    jlong address, jint len) {
    (void)e;
    (void)c;
    return pw_result(read(fd, pw_ptr(address), (size_t)len));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_write(JNIEnv *e, jclass c, jint fd,
                                                                     jlong address, jint len) {
    (void)e;
    (void)c;
    return pw_result(send(fd, pw_ptr(address), (size_t)len, PW_SEND_FLAGS));
}

/* Gathering write of `count` struct iovec that Java laid out at `iov`. */
JNIEXPORT jlong JNICALL Java_io_pollwire_transport_unix_NativeSocket_writev(JNIEnv *e, jclass c, jint fd,
                                                                       jlong iov, jint count) {
    (void)e;
    (void)c;
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = pw_ptr(iov);
    msg.msg_iovlen = count;
    return pw_lresult(sendmsg(fd, &msg, PW_SEND_FLAGS));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_shutdown(JNIEnv *e, jclass c,
                                                                        jint fd, jboolean rd,
                                                                        jboolean wr) {
    (void)e;
    (void)c;
    int how = rd && wr ? SHUT_RDWR : rd ? SHUT_RD : SHUT_WR;
    return pw_result(shutdown(fd, how));
}

/* close() is not retried on EINTR: on Linux the fd is gone either way. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_close(JNIEnv *e, jclass c, jint fd) {
    (void)e;
    (void)c;
    return pw_result(close(fd));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_setIntOption(JNIEnv *e, jclass c,
                                                                            jint fd, jint level,
                                                                            jint name, jint value) {
    (void)e;
    (void)c;
    return pw_result(setsockopt(fd, level, name, &value, sizeof(value)));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_getIntOption(JNIEnv *e, jclass c,
                                                                            jint fd, jint level,
                                                                            jint name) {
    (void)e;
    (void)c;
    int value = 0;
    socklen_t len = sizeof(value);
    if (getsockopt(fd, level, name, &value, &len) < 0) return -errno;
    return value;
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_setLinger(JNIEnv *e, jclass c,
                                                                         jint fd, jboolean on,
                                                                         jint seconds) {
    (void)e;
    (void)c;
    struct linger l = {.l_onoff = on ? 1 : 0, .l_linger = seconds};
    return pw_result(setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)));
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_unix_NativeSocket_##name }
static const JNINativeMethod socket_methods[] = {
    M(abiVersion, "()I"),
    M(backend, "()Ljava/lang/String;"),
    M(strerror, "(I)Ljava/lang/String;"),
    M(address, "(Ljava/nio/ByteBuffer;)J"),
    M(constant, "(I)I"),
    M(socket, "(Z)I"),
    M(bind, "(I[BII)I"),
    M(listen, "(II)I"),
    M(accept, "(I)I"),
    M(connect, "(I[BII)I"),
    M(finishConnect, "(I)I"),
    M(localAddress, "(I[B)I"),
    M(peerAddress, "(I[B)I"),
    M(read, "(IJI)I"),
    M(write, "(IJI)I"),
    M(writev, "(IJI)J"),
    M(shutdown, "(IZZ)I"),
    M(close, "(I)I"),
    M(setIntOption, "(IIII)I"),
    M(getIntOption, "(III)I"),
    M(setLinger, "(IZI)I"),
};
#undef M
/* clang-format on */

int pw_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls == NULL) return -1;
    int r = (*env)->RegisterNatives(env, cls, methods, count);
    (*env)->DeleteLocalRef(env, cls);
    return r == 0 ? 0 : -1;
}

/*
 * Binding every native eagerly means a jar/library mismatch fails here, at load time, where
 * the loader can report it and fall back to NIO, instead of at the first call on a live loop.
 */
JNIEXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
    if (pw_register(env, "io/pollwire/transport/unix/NativeSocket", socket_methods,
                    PW_COUNT(socket_methods)) < 0)
        return JNI_ERR;
    if (pw_backend_register(env) < 0) return JNI_ERR;
    return JNI_VERSION_1_8;
}

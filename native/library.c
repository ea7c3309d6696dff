// SPDX-License-Identifier: Apache-2.0
/*
 * Library plumbing: what Java asks libpollwire about itself and this platform (ABI version,
 * backend, strerror, constants, buffer addresses), the sockaddr conversions socket.c uses, and
 * JNI_OnLoad, which binds every native of the library.
 */
#define _GNU_SOURCE
#include "pollwire.h"
#include "io_pollwire_transport_unix_NativeSocket.h"

#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define ID(name) io_pollwire_transport_unix_NativeSocket_##name

/* Not every system has SO_REUSEPORT; Java reads a negative value as "not supported". */
#ifdef SO_REUSEPORT
#define PW_SO_REUSEPORT SO_REUSEPORT
#else
#define PW_SO_REUSEPORT (-ENOPROTOOPT)
#endif

/*
 * TCP keep-alive tuning: Linux and the BSDs name the idle time TCP_KEEPIDLE, macOS names it
 * TCP_KEEPALIVE. A platform without one answers -ENOPROTOOPT and Java says it is not supported.
 */
#if defined(TCP_KEEPIDLE)
#define PW_TCP_KEEPIDLE TCP_KEEPIDLE
#elif defined(TCP_KEEPALIVE)
#define PW_TCP_KEEPIDLE TCP_KEEPALIVE
#else
#define PW_TCP_KEEPIDLE (-ENOPROTOOPT)
#endif
#ifdef TCP_KEEPINTVL
#define PW_TCP_KEEPINTVL TCP_KEEPINTVL
#else
#define PW_TCP_KEEPINTVL (-ENOPROTOOPT)
#endif
#ifdef TCP_KEEPCNT
#define PW_TCP_KEEPCNT TCP_KEEPCNT
#else
#define PW_TCP_KEEPCNT (-ENOPROTOOPT)
#endif

/* ENONET is Linux's; elsewhere no accept fails with it, so any never-returned value will do. */
#ifdef ENONET
#define PW_ENONET ENONET
#else
#define PW_ENONET (-1)
#endif

/* Builds a sockaddr from byte[4] (AF_INET) or byte[16] (AF_INET6). */
int pw_sockaddr(JNIEnv *env, jbyteArray addr, jint scope, jint port, struct sockaddr_storage *ss,
                socklen_t *len) {
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
jint pw_export_addr(JNIEnv *env, const struct sockaddr_storage *ss, jbyteArray out) {
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

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_abiVersion(JNIEnv *e,
                                                                               jclass c) {
    (void)e;
    (void)c;
    return PW_ABI_VERSION;
}

JNIEXPORT jstring JNICALL Java_io_pollwire_transport_unix_NativeSocket_backend(JNIEnv *env,
                                                                               jclass c) {
    (void)c;
    return (*env)->NewStringUTF(env, pw_backend_name());
}

JNIEXPORT jstring JNICALL Java_io_pollwire_transport_unix_NativeSocket_strerror(JNIEnv *env,
                                                                                jclass c,
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
    case ID(K_TCP_KEEPIDLE): return PW_TCP_KEEPIDLE;
    case ID(K_TCP_KEEPINTVL): return PW_TCP_KEEPINTVL;
    case ID(K_TCP_KEEPCNT): return PW_TCP_KEEPCNT;
    case ID(K_ENAMETOOLONG): return ENAMETOOLONG;
    case ID(K_ENOENT): return ENOENT;
    case ID(K_SHUT_RD): return SHUT_RD;
    case ID(K_SHUT_WR): return SHUT_WR;
    case ID(K_SHUT_RDWR): return SHUT_RDWR;
    case ID(K_IOV_SIZE): return (jint)sizeof(struct iovec);
    case ID(K_IOV_BASE_OFFSET): return (jint)offsetof(struct iovec, iov_base);
    case ID(K_IOV_LEN_OFFSET): return (jint)offsetof(struct iovec, iov_len);
    case ID(K_IOV_MAX): return IOV_MAX;
    default: return -EINVAL;
    }
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_unix_NativeSocket_##name }
static const JNINativeMethod library_methods[] = {
    M(abiVersion, "()I"),
    M(backend, "()Ljava/lang/String;"),
    M(strerror, "(I)Ljava/lang/String;"),
    M(address, "(Ljava/nio/ByteBuffer;)J"),
    M(constant, "(I)I"),
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
    if (pw_register(env, PW_NATIVE_SOCKET, library_methods, PW_COUNT(library_methods)) < 0 ||
        pw_socket_register(env) < 0 || pw_sockopt_register(env) < 0 || pw_unix_register(env) < 0 ||
        pw_backend_register(env) < 0)
        return JNI_ERR;
    return JNI_VERSION_1_8;
}

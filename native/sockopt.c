// SPDX-License-Identifier: Apache-2.0
/*
 * Socket options: setsockopt/getsockopt of int options (levels and names that Java read through
 * constant(), see library.c) and SO_LINGER, whose value is a struct. -errno on failure.
 */
#define _GNU_SOURCE
#include "pollwire.h"
#include "io_pollwire_transport_unix_NativeSocket.h"

#include <limits.h>
#include <sys/socket.h>

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_setIntOption(
    JNIEnv *e, jclass c, jint fd, jint level, jint name, jint value) {
    (void)e;
    (void)c;
    return pw_result(setsockopt(fd, level, name, &value, sizeof(value)));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_getIntOption(JNIEnv *e,
                                                                                 jclass c, jint fd,
                                                                                 jint level,
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

/* SO_LINGER read back: the timeout in seconds, or INT_MAX when lingering is off. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_unix_NativeSocket_getLinger(JNIEnv *e, jclass c,
                                                                              jint fd) {
    (void)e;
    (void)c;
    struct linger l;
    socklen_t len = sizeof(l);
    if (getsockopt(fd, SOL_SOCKET, SO_LINGER, &l, &len) < 0) return -errno;
    return l.l_onoff ? l.l_linger : INT_MAX;
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_unix_NativeSocket_##name }
static const JNINativeMethod sockopt_methods[] = {
    M(setIntOption, "(IIII)I"),
    M(getIntOption, "(III)I"),
    M(setLinger, "(IZI)I"),
    M(getLinger, "(I)I"),
};
#undef M
/* clang-format on */

int pw_sockopt_register(JNIEnv *env) {
    return pw_register(env, PW_NATIVE_SOCKET, sockopt_methods, PW_COUNT(sockopt_methods));
}

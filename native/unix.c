// SPDX-License-Identifier: Apache-2.0
/*
 * Unix domain stream sockets (AF_UNIX): creating one, and bind/connect to a filesystem path.
 * The path travels as the bytes Java encoded (no NUL); abstract names are not offered, since
 * macOS has none. Everything else a Unix socket does (accept, read, writev, shutdown, close,
 * SO_ERROR after a non-blocking connect) is the same call as for TCP, in socket.c.
 */
#define _GNU_SOURCE
#include "pollwire.h"

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Fills a sockaddr_un from byte[]; 0, or -ENAMETOOLONG when the path does not fit sun_path. */
static int pw_sockaddr_un(JNIEnv *env, jbyteArray path, struct sockaddr_un *un, socklen_t *len) {
    jsize n = (*env)->GetArrayLength(env, path);
    memset(un, 0, sizeof(*un));
    if (n <= 0 || (size_t)n >= sizeof(un->sun_path)) return -ENAMETOOLONG;
    un->sun_family = AF_UNIX;
    (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *)un->sun_path);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
    return 0;
}

static jint JNICALL pw_unix_socket(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    return pw_new_socket(AF_UNIX);
}

static jint JNICALL pw_unix_bind(JNIEnv *env, jclass c, jint fd, jbyteArray path) {
    (void)c;
    struct sockaddr_un un;
    socklen_t len;
    int r = pw_sockaddr_un(env, path, &un, &len);
    return r < 0 ? r : pw_result(bind(fd, (struct sockaddr *)&un, len));
}

/* Non-blocking like TCP: 0, -EINPROGRESS (Linux says -EAGAIN when the backlog is full), -errno. */
static jint JNICALL pw_unix_connect(JNIEnv *env, jclass c, jint fd, jbyteArray path) {
    (void)c;
    struct sockaddr_un un;
    socklen_t len;
    int r = pw_sockaddr_un(env, path, &un, &len);
    return r < 0 ? r : pw_result(connect(fd, (struct sockaddr *)&un, len));
}

/* The longest path sun_path holds, NUL excluded (107 on Linux, 103 on macOS). */
static jint JNICALL pw_unix_max_path(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    struct sockaddr_un un;
    return (jint)sizeof(un.sun_path) - 1;
}

static const JNINativeMethod unix_methods[] = {
    {"unixSocket", "()I", (void *)pw_unix_socket},
    {"unixBind", "(I[B)I", (void *)pw_unix_bind},
    {"unixConnect", "(I[B)I", (void *)pw_unix_connect},
    {"unixMaxPath", "()I", (void *)pw_unix_max_path},
};

int pw_unix_register(JNIEnv *env) {
    return pw_register(env, PW_NATIVE_SOCKET, unix_methods, PW_COUNT(unix_methods));
}

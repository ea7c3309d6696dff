// SPDX-License-Identifier: Apache-2.0
/*
 * pollwire native contract, shared by library.c (JNI_OnLoad and plumbing), socket.c and the
 * one backend file CMake picks (epoll.c on Linux, kqueue.c on macOS/BSD).
 *
 * Rules: no policy, no allocation, no hidden retries. Every function returns >= 0 on
 * success or -errno; EINTR and EAGAIN come back to Java like any other value. Java owns
 * every buffer and passes raw addresses of direct memory.
 */
#ifndef POLLWIRE_H
#define POLLWIRE_H

#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <sys/socket.h>

/* Bumped whenever a native signature or constant id changes; Java refuses a mismatch. */
#define PW_ABI_VERSION 5

#define PW_HIDDEN __attribute__((visibility("hidden")))
#define PW_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static inline jint pw_result(long r) { return r < 0 ? -errno : (jint)r; }
static inline jlong pw_lresult(long r) { return r < 0 ? -errno : (jlong)r; }
static inline void *pw_ptr(jlong address) { return (void *)(intptr_t)address; }

/* Binds a table of natives to a class; returns 0 or -1 with a Java exception pending. */
PW_HIDDEN int pw_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods,
                          int count);

/* The Java class every socket native (library.c and socket.c) is bound to. */
#define PW_NATIVE_SOCKET "io/pollwire/transport/unix/NativeSocket"

/* library.c: sockaddr from byte[4] / byte[16]; 0 or -EAFNOSUPPORT. */
PW_HIDDEN int pw_sockaddr(JNIEnv *env, jbyteArray addr, jint scope, jint port,
                          struct sockaddr_storage *ss, socklen_t *len);

/* library.c: a sockaddr into the 24-byte layout Java decodes; 0 or -EAFNOSUPPORT. */
PW_HIDDEN jint pw_export_addr(JNIEnv *env, const struct sockaddr_storage *ss, jbyteArray out);

/* socket.c: registers the socket syscall natives. */
PW_HIDDEN int pw_socket_register(JNIEnv *env);

/* socket.c: a non-blocking, close-on-exec stream socket of `domain`, or -errno. */
PW_HIDDEN int pw_new_socket(int domain);

/* sockopt.c: registers the socket option natives (setsockopt/getsockopt, SO_LINGER). */
PW_HIDDEN int pw_sockopt_register(JNIEnv *env);

/* unix.c: registers the AF_UNIX natives (socket, bind and connect to a path). */
PW_HIDDEN int pw_unix_register(JNIEnv *env);

/* Implemented once per backend file: registers the poller natives (Epoll or Kqueue). */
PW_HIDDEN int pw_backend_register(JNIEnv *env);

/* "epoll" or "kqueue": lets Java know which twin this library carries. */
PW_HIDDEN const char *pw_backend_name(void);

#endif

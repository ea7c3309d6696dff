/*
 * pollwire native contract, shared by socket.c and the one backend file CMake picks
 * (epoll.c on Linux, kqueue.c on macOS/BSD).
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

/* Bumped whenever a native signature or constant id changes; Java refuses a mismatch. */
#define PW_ABI_VERSION 2

#define PW_HIDDEN __attribute__((visibility("hidden")))
#define PW_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static inline jint pw_result(long r) { return r < 0 ? -errno : (jint)r; }
static inline jlong pw_lresult(long r) { return r < 0 ? -errno : (jlong)r; }
static inline void *pw_ptr(jlong address) { return (void *)(intptr_t)address; }

/* Binds a table of natives to a class; returns 0 or -1 with a Java exception pending. */
PW_HIDDEN int pw_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods,
                          int count);

/* Implemented once per backend file: registers the poller natives (Epoll or Kqueue). */
PW_HIDDEN int pw_backend_register(JNIEnv *env);

/* "epoll" or "kqueue": lets Java know which twin this library carries. */
PW_HIDDEN const char *pw_backend_name(void);

#endif

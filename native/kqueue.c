// SPDX-License-Identifier: Apache-2.0
/*
 * macOS/BSD backend: kqueue + EVFILT_USER wakeup. Line-for-line twin of epoll.c; only the kernel
 * differs. Policy is Java's (KqueuePoller, level-triggered only): C passes flags through.
 * On Linux this file is built against libkqueue, for tests only.
 */
#include "pollwire.h"
#include "io_pollwire_transport_kqueue_Kqueue.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define ID(name) io_pollwire_transport_kqueue_Kqueue_##name

const char *pw_backend_name(void) { return "kqueue"; }

JNIEXPORT jint JNICALL Java_io_pollwire_transport_kqueue_Kqueue_constant(JNIEnv *e, jclass c,
                                                                         jint id) {
    (void)e;
    (void)c;
    switch (id) {
    /* Filters are small negative numbers by definition: Java never reads them as -errno. */
    case ID(K_EVFILT_READ): return EVFILT_READ;
    case ID(K_EVFILT_WRITE): return EVFILT_WRITE;
    case ID(K_EVFILT_USER): return EVFILT_USER;
    case ID(K_EV_ADD): return EV_ADD;
    case ID(K_EV_DELETE): return EV_DELETE;
    case ID(K_EV_ENABLE): return EV_ENABLE;
    case ID(K_EV_DISABLE): return EV_DISABLE;
    case ID(K_EV_CLEAR): return EV_CLEAR;
    /* Peer's FIN (or RST, with the error in fflags) as its own bit, like EPOLLRDHUP. */
    case ID(K_EV_EOF): return EV_EOF;
    case ID(K_EV_ERROR): return EV_ERROR;
    case ID(K_NOTE_TRIGGER): return NOTE_TRIGGER;
    case ID(K_ENOENT): return ENOENT;
    /* FreeBSD 12+ appends ext[4] to struct kevent: never assume its layout in Java. */
    case ID(K_EVENT_SIZE): return (jint)sizeof(struct kevent);
    case ID(K_IDENT_OFFSET): return (jint)offsetof(struct kevent, ident);
    case ID(K_FILTER_OFFSET): return (jint)offsetof(struct kevent, filter);
    case ID(K_FLAGS_OFFSET): return (jint)offsetof(struct kevent, flags);
    case ID(K_FFLAGS_OFFSET): return (jint)offsetof(struct kevent, fflags);
    case ID(K_DATA_OFFSET): return (jint)offsetof(struct kevent, data);
    case ID(K_UDATA_OFFSET): return (jint)offsetof(struct kevent, udata);
    default: return -EINVAL;
    }
}

/* kqueue() has no CLOEXEC flag on macOS: set it at once (a kqueue never survives fork anyway). */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_kqueue_Kqueue_kqueueCreate(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    int kq = kqueue();
    if (kq < 0) return -errno;
    if (fcntl(kq, F_SETFD, FD_CLOEXEC) < 0) {
        int err = errno;
        close(kq);
        return -err;
    }
    return kq;
}

/*
 * kevent() with a change list of one and no event list: the epoll_ctl of kqueue. With no room
 * for receipts the kernel reports a failed change as -1/errno, which comes back as -errno.
 */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_kqueue_Kqueue_keventCtl(
    JNIEnv *e, jclass c, jint kq, jlong ident, jint filter, jint flags, jint fflags, jlong udata) {
    (void)e;
    (void)c;
    struct kevent ev;
    EV_SET(&ev, (uintptr_t)ident, (int16_t)filter, (uint16_t)flags, (uint32_t)fflags, 0,
           pw_ptr(udata));
    return pw_result(kevent(kq, &ev, 1, NULL, 0, NULL));
}

/* Fills the Java-owned event array at `address`; EINTR comes back as -EINTR. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_kqueue_Kqueue_keventWait(JNIEnv *e, jclass c,
                                                                           jint kq, jlong address,
                                                                           jint max,
                                                                           jint timeout_ms) {
    (void)e;
    (void)c;
    struct timespec ts = {.tv_sec = timeout_ms / 1000, .tv_nsec = (timeout_ms % 1000) * 1000000L};
    return pw_result(kevent(kq, NULL, 0, pw_ptr(address), max, timeout_ms < 0 ? NULL : &ts));
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_kqueue_Kqueue_##name }
static const JNINativeMethod kqueue_methods[] = {
    M(constant, "(I)I"),
    M(kqueueCreate, "()I"),
    M(keventCtl, "(IJIIIJ)I"),
    M(keventWait, "(IJII)I"),
};
#undef M
/* clang-format on */

int pw_backend_register(JNIEnv *env) {
    return pw_register(env, "io/pollwire/transport/kqueue/Kqueue", kqueue_methods,
                       PW_COUNT(kqueue_methods));
}

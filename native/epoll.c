// SPDX-License-Identifier: Apache-2.0
/*
 * Linux backend: epoll + eventfd wakeup. Line-for-line twin of kqueue.c; only the kernel
 * differs. Policy is Java's (EpollPoller, level-triggered only): C passes masks through.
 */
#define _GNU_SOURCE
#include "pollwire.h"
#include "io_pollwire_transport_epoll_Epoll.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define ID(name) io_pollwire_transport_epoll_Epoll_##name

const char *pw_backend_name(void) { return "epoll"; }

JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_constant(JNIEnv *e, jclass c,
                                                                       jint id) {
    (void)e;
    (void)c;
    switch (id) {
    case ID(K_EPOLLIN): return EPOLLIN;
    case ID(K_EPOLLOUT): return EPOLLOUT;
    /* Peer's FIN as its own bit: lets a half-closed socket be told from plain readability. */
    case ID(K_EPOLLRDHUP): return EPOLLRDHUP;
    case ID(K_EPOLLHUP): return EPOLLHUP;
    case ID(K_EPOLLERR): return EPOLLERR;
    case ID(K_EPOLLET): return (jint)EPOLLET;
    case ID(K_EPOLL_CTL_ADD): return EPOLL_CTL_ADD;
    case ID(K_EPOLL_CTL_MOD): return EPOLL_CTL_MOD;
    case ID(K_EPOLL_CTL_DEL): return EPOLL_CTL_DEL;
    /* struct epoll_event is packed on x86_64 only: never assume its layout in Java. */
    case ID(K_EVENT_SIZE): return (jint)sizeof(struct epoll_event);
    case ID(K_EVENTS_OFFSET): return (jint)offsetof(struct epoll_event, events);
    case ID(K_DATA_OFFSET): return (jint)offsetof(struct epoll_event, data);
    default: return -EINVAL;
    }
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_epollCreate(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    return pw_result(epoll_create1(EPOLL_CLOEXEC));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_epollCtl(JNIEnv *e, jclass c,
                                                                       jint epfd, jint op, jint fd,
                                                                       jint events, jlong data) {
    (void)e;
    (void)c;
    struct epoll_event ev = {.events = (uint32_t)events, .data.u64 = (uint64_t)data};
    return pw_result(epoll_ctl(epfd, op, fd, &ev));
}

/* Fills the Java-owned event array at `address`; EINTR comes back as -EINTR. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_epollWait(JNIEnv *e, jclass c,
                                                                        jint epfd, jlong address,
                                                                        jint max, jint timeout_ms) {
    (void)e;
    (void)c;
    return pw_result(epoll_wait(epfd, pw_ptr(address), max, timeout_ms));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_eventfdCreate(JNIEnv *e, jclass c) {
    (void)e;
    (void)c;
    return pw_result(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
}

/* The counter only needs to be non-zero to wake the poller; EAGAIN means it already is. */
JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_eventfdWrite(JNIEnv *e, jclass c,
                                                                           jint fd) {
    (void)e;
    (void)c;
    uint64_t one = 1;
    return pw_result(write(fd, &one, sizeof(one)));
}

JNIEXPORT jint JNICALL Java_io_pollwire_transport_epoll_Epoll_eventfdRead(JNIEnv *e, jclass c,
                                                                          jint fd) {
    (void)e;
    (void)c;
    uint64_t value;
    return pw_result(read(fd, &value, sizeof(value)));
}

/* clang-format off: one native per line reads best as a table */
#define M(name, sig)                                                                               \
    { #name, sig, (void *)Java_io_pollwire_transport_epoll_Epoll_##name }
static const JNINativeMethod epoll_methods[] = {
    M(constant, "(I)I"),     M(epollCreate, "()I"),   M(epollCtl, "(IIIIJ)I"),
    M(epollWait, "(IJII)I"), M(eventfdCreate, "()I"), M(eventfdWrite, "(I)I"),
    M(eventfdRead, "(I)I"),
};
#undef M
/* clang-format on */

int pw_backend_register(JNIEnv *env) {
    return pw_register(env, "io/pollwire/transport/epoll/Epoll", epoll_methods,
                       PW_COUNT(epoll_methods));
}

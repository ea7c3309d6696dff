// SPDX-License-Identifier: Apache-2.0
/*
 * Minimal line-echo server on epoll: the C reference of the benchmarks.
 *
 * One thread, level-triggered epoll, non-blocking sockets. Each read goes into the
 * connection's input buffer; every complete line ('\n'-terminated) is written back in one
 * write(2), the partial line at the end is kept for the next read. Output the peer does not
 * take at once is buffered; while that buffer could not take another full input buffer the
 * connection is not read (backpressure), so memory per connection stays bounded.
 *
 * usage: echo [-h 127.0.0.1] [-p 7000]      prints "c-echo listening on HOST:PORT"
 * SIGTERM/SIGINT end it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_CAP (64 * 1024)
#define OUT_CAP (4 * IN_CAP)
#define MAX_EVENTS 256

struct conn {
    int fd;
    int watching; /* current epoll interest */
    size_t in_len;
    size_t out_off, out_len;
    char in[IN_CAP];
    char out[OUT_CAP];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static void close_conn(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Reading only while the output buffer can absorb a whole input buffer keeps it bounded. */
static int set_interest(int ep, struct conn *c) {
    int want = 0;
    if (c->out_len + IN_CAP <= OUT_CAP) want |= EPOLLIN;
    if (c->out_len > 0) want |= EPOLLOUT;
    if (want == c->watching) return 0;
    struct epoll_event ev = {.events = (unsigned)want, .data.ptr = c};
    c->watching = want;
    return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends buffered output; returns -1 when the connection failed. */
static int flush_out(struct conn *c) {
    while (c->out_len > 0) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len, MSG_NOSIGNAL);
        if (w < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        c->out_off += (size_t)w;
        c->out_len -= (size_t)w;
    }
    c->out_off = 0;
    return 0;
}

/* Writes [p, p+n) now if nothing is queued, queueing what the socket does not take. */
static int send_or_queue(struct conn *c, const char *p, size_t n) {
    if (c->out_len == 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
            w = 0;
        }
        p += w;
        n -= (size_t)w;
        c->out_off = 0;
    } else if (c->out_off + c->out_len + n > OUT_CAP) {
        memmove(c->out, c->out + c->out_off, c->out_len);
        c->out_off = 0;
    }
    memcpy(c->out + c->out_off + c->out_len, p, n);
    c->out_len += n;
    return 0;
}

/* One read (level-triggered: the next epoll_wait reports what is left). -1: close it. */
static int on_readable(struct conn *c) {
    ssize_t n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
    if (n == 0) return -1;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    c->in_len += (size_t)n;
    char *last = memrchr(c->in, '\n', c->in_len);
    /* a line longer than the buffer is passed through rather than dropped */
    size_t complete = last ? (size_t)(last - c->in) + 1 : (c->in_len == IN_CAP ? IN_CAP : 0);
    if (complete == 0) return 0;
    if (send_or_queue(c, c->in, complete) < 0) return -1;
    c->in_len -= complete;
    if (c->in_len > 0) memmove(c->in, c->in + complete, c->in_len);
    return 0;
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 7000;
    int opt;
    while ((opt = getopt(argc, argv, "h:p:")) != -1) {
        if (opt == 'h') host = optarg;
        else if (opt == 'p') port = atoi(optarg);
        else {
            fprintf(stderr, "usage: %s [-h host] [-p port]\n", argv[0]);
            return 2;
        }
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "c-echo: bad address %s\n", host);
        return 2;
    }
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        perror("c-echo: bind/listen");
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    printf("c-echo listening on %s:%d\n", host, port);
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    while (!stop) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("c-echo: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    struct conn *nc = malloc(sizeof *nc);
                    if (nc == NULL) {
                        close(fd);
                        continue;
                    }
                    nc->fd = fd;
                    nc->in_len = nc->out_off = nc->out_len = 0;
                    nc->watching = EPOLLIN;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = nc};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
                        close(fd);
                        free(nc);
                    }
                }
                continue;
            }
            unsigned ev = events[i].events;
            int failed = 0;
            if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) failed = flush_out(c);
            if (!failed && (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) && (c->watching & EPOLLIN))
                failed = on_readable(c);
            if (failed || set_interest(ep, c) < 0) close_conn(ep, c);
        }
    }
    close(ep);
    close(lfd);
    return 0;
}

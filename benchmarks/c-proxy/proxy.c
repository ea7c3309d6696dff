// SPDX-License-Identifier: Apache-2.0
// The C reference for the proxy benchmark (benchmarks/proxy.sh): one thread, epoll (level
// triggered), every accepted client forwarded to one backend, bytes both ways, with
// backpressure (a direction whose destination is full stops reading its source) and half-close
// passed on. Two ways to move the bytes, so the kernel's share of a proxy's cost can be seen:
//   -m rw      read(2) into a 64 KiB buffer per direction, write(2) it out (what pollwire's and
//              Netty's proxies do: two copies across the user/kernel boundary)
//   -m splice  splice(2) socket -> pipe -> socket (HAProxy's TCP splicing: no copy to user space)
// Usage: c-proxy -p PORT -b BACKEND_PORT [-h 127.0.0.1] [-m rw|splice]. Loopback benchmarks only;
// a connect(2) to the backend blocks (fine on loopback, not for real use).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHUNK 65536
#define MAX_FDS 65536

struct dir {             // one direction of a pair: src -> dst
    int src, dst;
    int pipe[2];         // splice mode
    char *buf;           // rw mode
    size_t off, pending; // bytes read but not yet written
    int eof;             // src ended; FIN passed on once pending is 0
};

struct side {            // what an fd is in its pair
    struct dir *in;      // the direction that reads this fd
    struct dir *out;     // the direction that writes this fd
    unsigned interest;
};

static int ep;
static int splice_mode;
static struct side *sides[MAX_FDS];

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void set_interest(int fd) {
    struct side *s = sides[fd];
    unsigned want = 0;
    if (!s->in->eof && s->in->pending == 0) {
        want |= EPOLLIN;
    }
    if (s->out->pending > 0) {
        want |= EPOLLOUT;
    }
    if (want != s->interest) {
        struct epoll_event ev = {.events = want, .data.fd = fd};
        if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) < 0) {
            die("epoll_ctl");
        }
        s->interest = want;
    }
}

static void close_pair(struct dir *a, struct dir *b) {
    int fds[2] = {a->src, a->dst};
    for (int i = 0; i < 2; i++) {
        epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
        close(fds[i]);
        free(sides[fds[i]]);
        sides[fds[i]] = NULL;
    }
    struct dir *d[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (splice_mode) {
            close(d[i]->pipe[0]);
            close(d[i]->pipe[1]);
        }
        free(d[i]->buf);
        free(d[i]);
    }
}

// Moves what it can from d->src to d->dst; returns -1 when the pair broke.
static int pump(struct dir *d) {
    for (int round = 0; round < 16; round++) {
        if (d->pending == 0 && !d->eof) {
            ssize_t n = splice_mode
                ? splice(d->src, NULL, d->pipe[1], NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
                : read(d->src, d->buf, CHUNK);
            if (n == 0) {
                d->eof = 1;
            } else if (n < 0) {
                return errno == EAGAIN ? 0 : -1;
            } else {
                d->pending = (size_t) n;
                d->off = 0;
            }
        }
        if (d->pending > 0) {
            ssize_t w = splice_mode
                ? splice(d->pipe[0], NULL, d->dst, NULL, d->pending, SPLICE_F_MOVE | SPLICE_F_NONBLOCK)
                : write(d->dst, d->buf + d->off, d->pending);
            if (w < 0) {
                return errno == EAGAIN ? 0 : -1;
            }
            d->pending -= (size_t) w;
            d->off += (size_t) w;
            if (d->pending > 0) {
                return 0; // dst is full: wait for EPOLLOUT
            }
        }
        if (d->eof) {
            shutdown(d->dst, SHUT_WR);
            return 0;
        }
    }
    return 0;
}

static struct dir *new_dir(int src, int dst) {
    struct dir *d = calloc(1, sizeof *d);
    if (d == NULL) {
        die("calloc");
    }
    d->src = src;
    d->dst = dst;
    if (splice_mode) {
        if (pipe2(d->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
            die("pipe2");
        }
    } else if ((d->buf = malloc(CHUNK)) == NULL) {
        die("malloc");
    }
    return d;
}

static void add(int fd, struct dir *in, struct dir *out) {
    struct side *s = calloc(1, sizeof *s);
    if (s == NULL) {
        die("calloc");
    }
    s->in = in;
    s->out = out;
    s->interest = EPOLLIN;
    sides[fd] = s;
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        die("epoll_ctl add");
    }
}

static void accept_one(int lfd, struct sockaddr_in *backend) {
    int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) {
        return;
    }
    int b = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (b < 0 || connect(b, (struct sockaddr *) backend, sizeof *backend) < 0 || c >= MAX_FDS || b >= MAX_FDS) {
        close(c);
        if (b >= 0) {
            close(b);
        }
        return;
    }
    fcntl(b, F_SETFL, fcntl(b, F_GETFL) | O_NONBLOCK);
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(b, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct dir *up = new_dir(c, b), *down = new_dir(b, c);
    add(c, up, down);
    add(b, down, up);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1";
    int port = 0, bport = 0, opt;
    while ((opt = getopt(argc, argv, "h:p:b:m:")) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'b': bport = atoi(optarg); break;
        case 'm': splice_mode = strcmp(optarg, "splice") == 0; break;
        default: fprintf(stderr, "usage: c-proxy -p PORT -b BACKEND_PORT [-h HOST] [-m rw|splice]\n"); return 2;
        }
    }
    if (port <= 0 || bport <= 0) {
        fprintf(stderr, "usage: c-proxy -p PORT -b BACKEND_PORT [-h HOST] [-m rw|splice]\n");
        return 2;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    struct sockaddr_in backend = {.sin_family = AF_INET, .sin_port = htons((uint16_t) bport)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &backend.sin_addr);
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (lfd < 0 || bind(lfd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(lfd, 1024) < 0) {
        die("listen");
    }
    if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
        die("epoll_create1");
    }
    struct epoll_event lev = {.events = EPOLLIN, .data.fd = lfd};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    printf("c-proxy listening on %s:%d (%s), backend 127.0.0.1:%d\n", host, port,
            splice_mode ? "splice" : "rw", bport);
    fflush(stdout);
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) {
                accept_one(lfd, &backend);
                continue;
            }
            struct side *s = sides[fd];
            if (s == NULL) {
                continue; // closed earlier in this batch
            }
            struct dir *in = s->in, *out = s->out;
            int broke = 0;
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                broke |= pump(in) < 0;
            }
            if (evs[i].events & EPOLLOUT) {
                broke |= pump(out) < 0; // drains what waited, then reads its source again
            }
            if (broke || (in->eof && out->eof && in->pending == 0 && out->pending == 0)) {
                close_pair(in, out);
                continue;
            }
            set_interest(in->src);
            set_interest(in->dst);
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

/** What an event loop does when it has no work. */
public enum IdleStrategy {
    /**
     * Block in the poller (epoll_wait, kevent, select) until an event, a timer or a wakeup.
     * Uses no CPU when idle; the default.
     */
    BLOCK,
    /**
     * Poll without blocking in a tight loop: the lowest latency, at the price of one core at
     * 100% per loop even when idle. For dedicated, pinned cores only.
     */
    BUSY_SPIN
}

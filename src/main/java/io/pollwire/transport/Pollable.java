// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

/**
 * Something a {@link Poller} can watch: a listening or connected socket of the poller's own
 * transport (a file descriptor for epoll/kqueue, a {@code SelectableChannel} for NIO).
 */
public interface Pollable {}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.Pollable;

/** A socket of the native transports: what epoll and kqueue pollers register. */
public interface FdHandle extends Pollable {
    /** @return the file descriptor, or -1 once closed */
    int fd();
}

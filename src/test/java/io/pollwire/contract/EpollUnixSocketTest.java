// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** Unix domain sockets over epoll (AF_UNIX in native/unix.c). */
@Tag("native")
class EpollUnixSocketTest extends UnixSocketContract {
    EpollUnixSocketTest() {
        super(Transport.EPOLL);
    }
}

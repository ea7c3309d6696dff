package io.pollwire;

import io.pollwire.testing.NativeSupport;
import org.junit.jupiter.api.Tag;

/** Unix domain sockets over epoll (AF_UNIX in native/unix.c). */
@Tag("native")
class EpollUnixSocketTest extends UnixSocketContractTest {
    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    protected void assumeTransport() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }
}

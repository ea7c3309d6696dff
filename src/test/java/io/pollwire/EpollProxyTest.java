package io.pollwire;

import io.pollwire.testing.NativeSupport;
import org.junit.jupiter.api.Tag;

/** The proxy example over EPOLL. */
@Tag("native")
class EpollProxyTest extends ProxyContractTest {
    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    protected void assumeTransport() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }
}

package io.pollwire;

import io.pollwire.testing.NativeSupport;
import org.junit.jupiter.api.Tag;

/** Outbound connections over EPOLL. */
@Tag("native")
class EpollOutboundTest extends OutboundContractTest {
    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    protected void assumeTransport() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }
}

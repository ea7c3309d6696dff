package io.pollwire;

import io.pollwire.testing.NativeSupport;
import org.junit.jupiter.api.Tag;

/** The lifecycle contract over epoll (Linux, native library). */
@Tag("native")
class EpollLifecycleTest extends LifecycleContractTest {
    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }

    @Override
    protected void assumeTransport() {
        NativeSupport.assumeAvailable(Transport.EPOLL);
    }
}

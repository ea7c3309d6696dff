package io.pollwire;

import org.junit.jupiter.api.Tag;

/** The proxy example over KQUEUE. */
@Tag("native")
@Tag("kqueue")
class KqueueProxyTest extends ProxyContractTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    protected void assumeTransport() {
        KqueueTransportTest.assumeKqueue();
    }
}

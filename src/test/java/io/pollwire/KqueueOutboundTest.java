package io.pollwire;

import org.junit.jupiter.api.Tag;

/** Outbound connections over KQUEUE. */
@Tag("native")
@Tag("kqueue")
class KqueueOutboundTest extends OutboundContractTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    protected void assumeTransport() {
        KqueueTransportTest.assumeKqueue();
    }
}

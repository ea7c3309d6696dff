package io.pollwire;

/** Outbound connections over NIO. */
class NioOutboundTest extends OutboundContractTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void assumeTransport() {
        // always available
    }
}

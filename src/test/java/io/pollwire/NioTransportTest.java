package io.pollwire;

import io.pollwire.transport.Transport;

/** The transport contract over the JDK's NIO Selector: runs everywhere. */
class NioTransportTest extends TransportContractTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void assumeTransport() {
        // always available
    }
}

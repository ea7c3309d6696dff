package io.pollwire;


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

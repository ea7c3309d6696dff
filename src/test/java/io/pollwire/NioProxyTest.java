package io.pollwire;

/** The proxy example over NIO. */
class NioProxyTest extends ProxyContractTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void assumeTransport() {
        // always available
    }
}

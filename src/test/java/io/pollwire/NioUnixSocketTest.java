package io.pollwire;

/** Unix domain sockets over NIO ({@code StandardProtocolFamily.UNIX}). */
class NioUnixSocketTest extends UnixSocketContractTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void assumeTransport() {
        // always available
    }
}

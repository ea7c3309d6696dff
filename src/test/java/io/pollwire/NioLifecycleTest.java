package io.pollwire;

/** The lifecycle contract over the JDK's NIO Selector: runs everywhere. */
class NioLifecycleTest extends LifecycleContractTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }

    @Override
    protected void assumeTransport() {
        // always available
    }
}

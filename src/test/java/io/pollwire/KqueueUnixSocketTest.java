package io.pollwire;

import org.junit.jupiter.api.Tag;

/** Unix domain sockets over kqueue: macOS/BSD, or libkqueue on Linux (its own surefire run). */
@Tag("native")
@Tag("kqueue")
class KqueueUnixSocketTest extends UnixSocketContractTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    protected void assumeTransport() {
        KqueueTransportTest.assumeKqueue();
    }
}

package io.pollwire;

import io.pollwire.testing.NativeSupport;
import org.junit.jupiter.api.Tag;

/**
 * The lifecycle contract over kqueue: on macOS/BSD with the bundled library, on Linux in the
 * {@code kqueue-libkqueue} surefire execution against the libkqueue test build.
 */
@Tag("native")
@Tag("kqueue")
class KqueueLifecycleTest extends LifecycleContractTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    protected void assumeTransport() {
        NativeSupport.assumeKqueueWarmedUp();
    }
}

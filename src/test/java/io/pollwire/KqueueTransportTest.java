package io.pollwire;

import io.pollwire.testing.NativeSupport;
import io.pollwire.transport.kqueue.KqueuePoller;
import io.pollwire.transport.unix.NativeIoException;
import org.junit.jupiter.api.Tag;

/**
 * The transport contract over kqueue: on macOS/BSD with the bundled library, on Linux in the
 * {@code kqueue-libkqueue} surefire execution against the libkqueue test build.
 */
@Tag("native")
@Tag("kqueue")
class KqueueTransportTest extends TransportContractTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }

    @Override
    protected void assumeTransport() {
        assumeKqueue();
    }

    /** Skips unless kqueue is here; opens libkqueue's process-wide descriptors first. */
    static void assumeKqueue() {
        NativeSupport.assumeAvailable(Transport.KQUEUE);
        // libkqueue (Linux) opens process-wide descriptors with its first kqueue and keeps
        // them: open them before the suite takes its descriptor baseline.
        try {
            new KqueuePoller(1).close();
        } catch (NativeIoException e) {
            throw new IllegalStateException(e);
        }
    }
}

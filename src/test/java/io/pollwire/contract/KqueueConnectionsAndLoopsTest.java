// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/**
 * {@link ConnectionsAndLoopsContract} over kqueue: on macOS/BSD with the bundled library, on Linux in the
 * {@code kqueue-libkqueue} surefire execution against the libkqueue test build.
 */
@Tag("native")
@Tag("kqueue")
class KqueueConnectionsAndLoopsTest extends ConnectionsAndLoopsContract {
    KqueueConnectionsAndLoopsTest() {
        super(Transport.KQUEUE);
    }
}

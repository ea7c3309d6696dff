// SPDX-License-Identifier: Apache-2.0
package io.pollwire.contract;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** Unix domain sockets over kqueue: macOS/BSD, or libkqueue on Linux (its own surefire run). */
@Tag("native")
@Tag("kqueue")
class KqueueUnixSocketTest extends UnixSocketContract {
    KqueueUnixSocketTest() {
        super(Transport.KQUEUE);
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Transport;
import org.junit.jupiter.api.Tag;

/** {@link MemoryAttackTest} over kqueue: on Linux, the libkqueue test build in its own surefire run. */
@Tag("kqueue")
class KqueueMemoryAttackTest extends MemoryAttackTest {
    @Override
    protected Transport transport() {
        return Transport.KQUEUE;
    }
}

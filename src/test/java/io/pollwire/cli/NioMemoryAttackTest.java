// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Transport;

/** {@link MemoryAttackTest} over NIO, which runs everywhere. */
class NioMemoryAttackTest extends MemoryAttackTest {
    @Override
    protected Transport transport() {
        return Transport.NIO;
    }
}

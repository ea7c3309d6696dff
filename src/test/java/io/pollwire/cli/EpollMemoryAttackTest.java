// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Transport;

/** {@link MemoryAttackTest} over epoll; not tagged native, so the xcheck-jni run does not repeat it. */
class EpollMemoryAttackTest extends MemoryAttackTest {
    @Override
    protected Transport transport() {
        return Transport.EPOLL;
    }
}

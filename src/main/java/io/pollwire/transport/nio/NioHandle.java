// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import io.pollwire.transport.Pollable;
import java.nio.channels.SelectableChannel;

/** A socket of the NIO transport: what {@link NioPoller} registers. */
interface NioHandle extends Pollable {
    SelectableChannel channel();
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.codec.FramingException;

/**
 * Handed to {@link ConnectionHandler#onFramingError} when a connection is shed because keeping
 * its partial frame would take the server past its memory budget
 * ({@code Server.Builder.maxBufferedBytes}), or because allocating the buffer for it failed.
 * The connection then closes with {@link CloseReason#OVERLOADED}. Its message is
 * {@code server busy}, so the default {@code onFramingError} replies {@code ERR server busy}.
 */
public final class ServerBusyException extends FramingException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with the message {@code server busy}. */
    public ServerBusyException() {
        super("server busy");
    }
}

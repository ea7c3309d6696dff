// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.codec.FramingException;

/**
 * A protocol error from {@link RespFramer}: its message is the text Redis answers after
 * {@code -ERR} (e.g. {@code Protocol error: invalid bulk length}), unless it is
 * {@linkplain #isSilent() silent}: a request over the size limit, on which Redis (at its
 * {@code client-query-buffer-limit}) closes the connection without a reply.
 */
final class RespProtocolException extends FramingException {
    private static final long serialVersionUID = 1L;

    private final boolean silent;

    RespProtocolException(String message) {
        this(message, false);
    }

    private RespProtocolException(String message, boolean silent) {
        super(message);
        this.silent = silent;
    }

    static RespProtocolException silent(String message) {
        return new RespProtocolException(message, true);
    }

    /** @return true when the connection is closed without a reply */
    boolean isSilent() {
        return silent;
    }

    /** Peers can trigger these at will: no stack trace. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import io.pollwire.codec.FramingException;

/**
 * A request the example server refuses, with the status to answer: 400 malformed, 413 body too
 * large, 431 head too large, 501 a transfer coding it does not implement, 505 another HTTP
 * version. The connection is closed after the response, since the stream position is lost.
 */
public final class HttpException extends FramingException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the response status
     * @param message what was wrong
     */
    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** @return the HTTP status to answer with */
    public int status() {
        return status;
    }

    /** Peers can trigger these at will: no stack trace, which would cost more than the parse. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}

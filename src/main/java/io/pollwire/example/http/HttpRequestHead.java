// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import java.nio.ByteBuffer;

/**
 * What {@link HttpRequestParser} found in a request head: indices into the buffer it parsed
 * and a few decoded values. One instance is reused for every request of a connection, so
 * parsing allocates nothing; its indices are only meaningful for the buffer and call that
 * filled it.
 */
public final class HttpRequestHead {
    int methodStart;
    int methodEnd;
    int targetStart;
    int targetEnd;
    int minorVersion;
    long contentLength;
    boolean keepAlive;
    int headEnd;

    /** @return first byte of the method */
    public int methodStart() {
        return methodStart;
    }

    /** @return end (exclusive) of the method */
    public int methodEnd() {
        return methodEnd;
    }

    /** @return first byte of the request target, e.g. {@code /plaintext?x=1} */
    public int targetStart() {
        return targetStart;
    }

    /** @return end (exclusive) of the request target */
    public int targetEnd() {
        return targetEnd;
    }

    /** @return 0 for HTTP/1.0, 1 for HTTP/1.1 */
    public int minorVersion() {
        return minorVersion;
    }

    /** @return the body's length from {@code Content-Length}, 0 when absent */
    public long contentLength() {
        return contentLength;
    }

    /**
     * @return whether the connection stays open after the response: HTTP/1.1 unless
     *     {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** @return index just past the empty line ending the head: where the body starts */
    public int headEnd() {
        return headEnd;
    }

    /**
     * @param buf the buffer that was parsed
     * @param method e.g. {@code "GET"} as ASCII bytes
     * @return whether the method is exactly that (methods are case-sensitive)
     */
    public boolean methodIs(ByteBuffer buf, byte[] method) {
        return HttpRequestParser.equalsAt(buf, methodStart, methodEnd, method);
    }

    /**
     * @param buf the buffer that was parsed
     * @param path e.g. {@code "/plaintext"} as ASCII bytes
     * @return whether the target's path (the target up to any {@code '?'}) is exactly that
     */
    public boolean pathIs(ByteBuffer buf, byte[] path) {
        int end = targetStart + path.length;
        return end <= targetEnd && HttpRequestParser.equalsAt(buf, targetStart, end, path)
                && (end == targetEnd || buf.get(end) == '?');
    }
}

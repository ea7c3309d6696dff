// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import io.pollwire.codec.Framer;
import io.pollwire.codec.LineFramer;
import java.nio.ByteBuffer;

/**
 * Cuts a connection's bytes into HTTP/1.x requests, head and body: a framer written against
 * pollwire's public SPI ({@link Framer}), like any user's.
 *
 * <ol>
 *   <li>Find the end of the head (the first empty line), searching each byte once however the
 *       head is split across reads; past {@code maxHeadBytes} without it: 431.
 *   <li>Parse the head ({@link HttpRequestParser}): malformed 400, other versions 505,
 *       chunked bodies 501, a {@code Content-Length} over {@code maxBodyBytes} 413.
 *   <li>Wait for {@code Content-Length} bytes of body; the frame is the whole request.
 * </ol>
 *
 * <p>Each error is an {@link HttpException} carrying the status, thrown as soon as the bytes
 * show it (an oversized body is refused when its head arrives, not after buffering it). At most
 * {@code maxHeadBytes + maxBodyBytes} bytes are ever kept for a request in progress.
 */
public final class HttpRequestFramer extends Framer {
    private final int maxHeadBytes;
    private final int maxBodyBytes;
    private final HttpRequestHead head = new HttpRequestHead();
    /** Bytes of the current request searched for the end of its head (relative to from). */
    private int scanned;
    /** Bytes of the current request (head and body) once its head is parsed; -1 before. */
    private int requestLength = -1;

    /**
     * @param maxHeadBytes most bytes of request line and headers, empty line included
     * @param maxBodyBytes largest {@code Content-Length} accepted
     */
    public HttpRequestFramer(int maxHeadBytes, int maxBodyBytes) {
        this.maxHeadBytes = maxHeadBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) throws HttpException {
        int length = requestLength;
        if (length < 0) {
            int headEnd = findHeadEnd(buf, from, to);
            if (headEnd < 0) {
                if (to - from > maxHeadBytes) {
                    scanned = 0;
                    throw new HttpException(431, "request head over " + maxHeadBytes + " bytes");
                }
                return NEED_MORE;
            }
            scanned = 0;
            if (headEnd - from > maxHeadBytes) {
                throw new HttpException(431, "request head over " + maxHeadBytes + " bytes");
            }
            HttpRequestParser.parseHead(buf, from, headEnd, maxBodyBytes, head);
            length = headEnd - from + (int) head.contentLength;
            requestLength = length;
        }
        if (to - from < length) {
            return NEED_MORE;
        }
        requestLength = -1;
        return frame(from, from + length, from + length);
    }

    /**
     * @return index just past the empty line ending the head, or -1 (then {@link #scanned}
     *     says where to resume)
     */
    private int findHeadEnd(ByteBuffer buf, int from, int to) {
        int i = from + scanned;
        if (scanned == 0) {
            // Empty lines before the request line are skipped (RFC 9112, 2.2), not a head end.
            while (i < to && (buf.get(i) == '\r' || buf.get(i) == '\n')) {
                i++;
            }
        }
        while (i < to) {
            int nl = LineFramer.indexOfNewline(buf, i, to);
            if (nl < 0) {
                scanned = to - from;
                return -1;
            }
            // An empty line follows this one: "\n\n" or "\n\r\n". Not enough bytes to tell:
            // resume at this '\n' next time.
            if (nl + 1 >= to || (buf.get(nl + 1) == '\r' && nl + 2 >= to)) {
                scanned = nl - from;
                return -1;
            }
            byte after = buf.get(nl + 1);
            if (after == '\n') {
                return nl + 2;
            }
            if (after == '\r' && buf.get(nl + 2) == '\n') {
                return nl + 3;
            }
            i = nl + 1;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "HttpRequestFramer[maxHead=" + maxHeadBytes + ", maxBody=" + maxBodyBytes + "]";
    }
}

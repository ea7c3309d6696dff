// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import java.nio.ByteBuffer;

/**
 * Parses an HTTP/1.x request head (RFC 9112) in place, with absolute indices and no
 * allocation, into an {@link HttpRequestHead}. Strict where leniency would let two parsers
 * disagree about where a request ends (the root of request smuggling): one Content-Length
 * (repeats must agree), no Transfer-Encoding together with it, no whitespace before a colon,
 * no line folding, no control bytes; lenient only where RFC 9112 allows it (a bare LF ends a
 * line; empty lines before the request line are skipped).
 */
public final class HttpRequestParser {
    private static final boolean[] TOKEN = new boolean[256];
    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final byte[] CONTENT_LENGTH = lower("content-length");
    private static final byte[] TRANSFER_ENCODING = lower("transfer-encoding");
    private static final byte[] CONNECTION = lower("connection");
    private static final byte[] HOST = lower("host");
    private static final byte[] CLOSE = lower("close");
    private static final byte[] KEEP_ALIVE = lower("keep-alive");

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private HttpRequestParser() {}

    /**
     * Parses the head starting at {@code start}: optional empty lines, the request line, header
     * fields, and the empty line that ends the head, which must come before {@code end}.
     *
     * @param buf the bytes, read with absolute indices only
     * @param start first byte of the request
     * @param end bound of the bytes to look at (the head may end earlier; anything after the
     *     empty line, e.g. the body, is not looked at)
     * @param maxBody the largest {@code Content-Length} accepted
     * @param out filled with the result
     * @throws HttpException 400 malformed, 413 body over {@code maxBody}, 501 a
     *     Transfer-Encoding, 505 a version other than HTTP/1.0 and HTTP/1.1
     */
    public static void parseHead(ByteBuffer buf, int start, int end, long maxBody, HttpRequestHead out)
            throws HttpException {
        int i = start;
        while (i < end && (buf.get(i) == '\r' || buf.get(i) == '\n')) {
            i++;
        }
        int method = i;
        while (i < end && isToken(buf.get(i))) {
            i++;
        }
        if (i == method || i >= end || buf.get(i) != ' ') {
            throw badRequest("malformed request line (method)");
        }
        out.methodStart = method;
        out.methodEnd = i++;
        int target = i;
        while (i < end && buf.get(i) > ' ' && buf.get(i) < 0x7F) { // visible ASCII
            i++;
        }
        if (i == target || i >= end || buf.get(i) != ' ') {
            throw badRequest("malformed request line (target)");
        }
        out.targetStart = target;
        out.targetEnd = i++;
        if (end - i < 8 || !equalsAt(buf, i, i + 5, HTTP_SLASH) || !isDigit(buf.get(i + 5))
                || buf.get(i + 6) != '.' || !isDigit(buf.get(i + 7))) {
            throw badRequest("malformed request line (version)");
        }
        int major = buf.get(i + 5) - '0';
        int minor = buf.get(i + 7) - '0';
        i = afterLineEnd(buf, i + 8, end, "malformed request line");
        if (major != 1 || minor > 1) {
            throw new HttpException(505, "HTTP version " + major + "." + minor + " not supported");
        }

        long contentLength = -1;
        boolean transferEncoding = false;
        boolean close = false;
        boolean keepAlive = false;
        int hosts = 0;
        while (true) {
            if (i >= end) {
                throw badRequest("request head not terminated by an empty line");
            }
            byte b = buf.get(i);
            if (b == '\n' || b == '\r') {
                i = afterLineEnd(buf, i, end, "malformed end of head");
                break;
            }
            if (b == ' ' || b == '\t') {
                throw badRequest("obsolete line folding");
            }
            int name = i;
            while (i < end && isToken(buf.get(i))) {
                i++;
            }
            if (i == name || i >= end || buf.get(i) != ':') {
                throw badRequest("malformed header field name");
            }
            int nameEnd = i++;
            while (i < end && (buf.get(i) == ' ' || buf.get(i) == '\t')) {
                i++;
            }
            int value = i;
            while (i < end && isFieldByte(buf.get(i))) {
                i++;
            }
            int valueEnd = i;
            while (valueEnd > value && (buf.get(valueEnd - 1) == ' ' || buf.get(valueEnd - 1) == '\t')) {
                valueEnd--;
            }
            i = afterLineEnd(buf, i, end, "malformed header field value");

            if (equalsIgnoreCase(buf, name, nameEnd, CONTENT_LENGTH)) {
                long length = parseLength(buf, value, valueEnd, maxBody);
                if (contentLength >= 0 && contentLength != length) {
                    throw badRequest("conflicting Content-Length values");
                }
                contentLength = length;
            } else if (equalsIgnoreCase(buf, name, nameEnd, TRANSFER_ENCODING)) {
                transferEncoding = true;
            } else if (equalsIgnoreCase(buf, name, nameEnd, CONNECTION)) {
                close |= hasToken(buf, value, valueEnd, CLOSE);
                keepAlive |= hasToken(buf, value, valueEnd, KEEP_ALIVE);
            } else if (equalsIgnoreCase(buf, name, nameEnd, HOST)) {
                hosts++;
            }
        }
        if (minor == 1 && hosts != 1) {
            throw badRequest(hosts == 0 ? "missing Host header" : "more than one Host header");
        }
        if (transferEncoding) {
            if (contentLength >= 0) {
                throw badRequest("both Transfer-Encoding and Content-Length");
            }
            throw new HttpException(501, "Transfer-Encoding (chunked request bodies) not implemented");
        }
        if (contentLength > maxBody) {
            throw new HttpException(413, "request body over " + maxBody + " bytes");
        }
        out.minorVersion = minor;
        out.contentLength = Math.max(0, contentLength);
        out.keepAlive = !close && (minor == 1 || keepAlive);
        out.headEnd = i;
    }

    /** 1*DIGIT, capped at {@code max + 1} so that no length can overflow. */
    private static long parseLength(ByteBuffer buf, int from, int to, long max) throws HttpException {
        if (from == to) {
            throw badRequest("empty Content-Length");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte d = buf.get(i);
            if (!isDigit(d)) {
                throw badRequest("malformed Content-Length");
            }
            n = Math.min(n * 10 + (d - '0'), max + 1);
        }
        return n;
    }

    /** Whether the comma-separated list {@code [from, to)} holds {@code token} (case-insensitive). */
    private static boolean hasToken(ByteBuffer buf, int from, int to, byte[] token) {
        int i = from;
        while (i < to) {
            while (i < to && (buf.get(i) == ' ' || buf.get(i) == '\t' || buf.get(i) == ',')) {
                i++;
            }
            int start = i;
            while (i < to && buf.get(i) != ',') {
                i++;
            }
            int stop = i;
            while (stop > start && (buf.get(stop - 1) == ' ' || buf.get(stop - 1) == '\t')) {
                stop--;
            }
            if (equalsIgnoreCase(buf, start, stop, token)) {
                return true;
            }
        }
        return false;
    }

    private static int afterLineEnd(ByteBuffer buf, int i, int end, String what) throws HttpException {
        if (i < end && buf.get(i) == '\n') {
            return i + 1;
        }
        if (i + 1 < end && buf.get(i) == '\r' && buf.get(i + 1) == '\n') {
            return i + 2;
        }
        throw badRequest(what);
    }

    static boolean equalsAt(ByteBuffer buf, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (buf.get(from + k) != expected[k]) {
                return false;
            }
        }
        return true;
    }

    /** {@code expected} is lower case letters and '-': OR-ing 0x20 folds only letters onto it. */
    private static boolean equalsIgnoreCase(ByteBuffer buf, int from, int to, byte[] expected) {
        if (to - from != expected.length) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if ((buf.get(from + k) | 0x20) != expected[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(byte b) {
        return TOKEN[b & 0xFF];
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** field-vchar, obs-text, SP or HTAB: anything but control bytes (CR, LF, NUL...) and DEL. */
    private static boolean isFieldByte(byte b) {
        return (b >= ' ' && b != 0x7F) || b == '\t' || b < 0;
    }

    private static HttpException badRequest(String message) {
        return new HttpException(400, message);
    }

    private static byte[] lower(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}

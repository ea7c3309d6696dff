// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Every fixed response of the example server as ready bytes, remade at most once per second
 * because of the {@code Date} header. Readers on any loop thread take the current
 * {@link Snapshot} (one volatile read) and write its arrays as they are: the hot path builds
 * nothing.
 */
final class HttpResponses {
    /** Index of a response variant by what its {@code Connection} header says. */
    static final int KEEP_ALIVE_DEFAULT = 0;
    static final int KEEP_ALIVE_EXPLICIT = 1;
    static final int CLOSE = 2;

    static final byte[] HELLO = ascii("Hello, World!");
    private static final byte[] NOT_FOUND_BODY = ascii("Not Found\n");
    private static final byte[] NOT_ALLOWED_BODY = ascii("Method Not Allowed\n");
    private static final String[] CONNECTION = {"", "Connection: keep-alive\r\n", "Connection: close\r\n"};
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    static final String SERVER = "pollwire";

    private volatile Snapshot current = new Snapshot(System.currentTimeMillis() / 1000);

    /** @return the responses of the current second */
    Snapshot now() {
        long second = System.currentTimeMillis() / 1000;
        Snapshot s = current;
        if (s.second != second) {
            s = new Snapshot(second); // racing loops may both build one: harmless
            current = s;
        }
        return s;
    }

    /** The responses of one second; arrays indexed by connection variant. */
    static final class Snapshot {
        final long second;
        final byte[] date;
        final byte[][] plaintext = new byte[3][];
        final byte[][] plaintextHead = new byte[3][];
        final byte[][] notFound = new byte[3][];
        final byte[][] getHeadOnly = new byte[3][];
        final byte[][] postOnly = new byte[3][];
        final byte[] badRequest;
        final byte[] payloadTooLarge;
        final byte[] headersTooLarge;
        final byte[] notImplemented;
        final byte[] versionNotSupported;

        Snapshot(long second) {
            this.second = second;
            String date = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
            this.date = ascii(date);
            for (int c = 0; c < 3; c++) {
                plaintext[c] = response(200, date, "", "text/plain", HELLO, c, true);
                plaintextHead[c] = response(200, date, "", "text/plain", HELLO, c, false);
                notFound[c] = response(404, date, "", "text/plain", NOT_FOUND_BODY, c, true);
                getHeadOnly[c] = response(405, date, "Allow: GET, HEAD\r\n", "text/plain", NOT_ALLOWED_BODY, c, true);
                postOnly[c] = response(405, date, "Allow: POST\r\n", "text/plain", NOT_ALLOWED_BODY, c, true);
            }
            badRequest = error(400, date);
            payloadTooLarge = error(413, date);
            headersTooLarge = error(431, date);
            notImplemented = error(501, date);
            versionNotSupported = error(505, date);
        }

        /** @return the response for an {@link HttpException}'s status (always closing) */
        byte[] error(int status) {
            switch (status) {
                case 413:
                    return payloadTooLarge;
                case 431:
                    return headersTooLarge;
                case 501:
                    return notImplemented;
                case 505:
                    return versionNotSupported;
                default:
                    return badRequest;
            }
        }

        private static byte[] error(int status, String date) {
            return response(status, date, "", "text/plain", ascii(reason(status) + "\n"), CLOSE, true);
        }
    }

    /** The head of a 200 response with a body of {@code length} bytes, up to the final CRLF. */
    static int okHead(byte[] out, byte[] date, String contentType, long length, int connection) {
        int n = put(out, 0, "HTTP/1.1 200 OK\r\nServer: " + SERVER + "\r\nContent-Type: ");
        n = put(out, n, contentType);
        n = put(out, n, "\r\nContent-Length: ");
        n = putDigits(out, n, length);
        n = put(out, n, "\r\nDate: ");
        System.arraycopy(date, 0, out, n, date.length);
        n += date.length;
        n = put(out, n, "\r\n");
        n = put(out, n, CONNECTION[connection]);
        return put(out, n, "\r\n");
    }

    private static int put(byte[] out, int at, String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            out[at + k] = (byte) ascii.charAt(k);
        }
        return at + ascii.length();
    }

    private static int putDigits(byte[] out, int at, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        long v = value;
        for (int k = digits - 1; k >= 0; k--) {
            out[at + k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    static byte[] response(int status, String date, String extraHeaders, String contentType, byte[] body,
            int connection, boolean withBody) {
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Server: " + SERVER + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Date: " + date + "\r\n"
                + extraHeaders
                + CONNECTION[connection]
                + "\r\n";
        byte[] h = ascii(head);
        if (!withBody) {
            return h;
        }
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 413:
                return "Content Too Large";
            case 431:
                return "Request Header Fields Too Large";
            case 501:
                return "Not Implemented";
            case 505:
                return "HTTP Version Not Supported";
            default:
                throw new IllegalArgumentException("no reason phrase for " + status);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

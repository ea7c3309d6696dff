// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestParserTest {
    static final int MAX_BODY = 100;

    /** Parses {@code head} placed at offset 3 of a buffer, to catch relative-index mistakes. */
    static HttpRequestHead parse(String head) throws HttpException {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocate(b.length + 6);
        buf.put(3, b);
        HttpRequestHead h = new HttpRequestHead();
        HttpRequestParser.parseHead(buf, 3, 3 + b.length, MAX_BODY, h);
        return h;
    }

    static int status(String head) {
        return assertThrows(HttpException.class, () -> parse(head)).status();
    }

    @Test
    void simpleGet() throws HttpException {
        String req = "GET /plaintext?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n";
        HttpRequestHead h = parse(req);
        assertEquals(3, h.methodStart());
        assertEquals(6, h.methodEnd());
        assertEquals(7, h.targetStart());
        assertEquals(7 + "/plaintext?x=1".length(), h.targetEnd());
        assertEquals(1, h.minorVersion());
        assertEquals(0, h.contentLength());
        assertTrue(h.keepAlive());
        assertEquals(3 + req.length(), h.headEnd());
    }

    @Test
    void pathAndMethodMatching() throws HttpException {
        byte[] b = "GET /plaintext?x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.wrap(b);
        HttpRequestHead h = new HttpRequestHead();
        HttpRequestParser.parseHead(buf, 0, b.length, 0, h);
        assertTrue(h.pathIs(buf, "/plaintext".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(h.pathIs(buf, "/plain".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(h.methodIs(buf, "GET".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(h.methodIs(buf, "GE".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void bareLineFeedsAndLeadingEmptyLinesAreAccepted() throws HttpException {
        HttpRequestHead h = parse("\r\n\nPOST /echo HTTP/1.1\nHost: a\nContent-Length: 5\n\n");
        assertEquals(5, h.contentLength());
        assertEquals(3 + 3, h.methodStart());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 default                  | GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n                                   | true",
        "HTTP/1.1 close                    | GET / HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n             | false",
        "HTTP/1.1 close in a list          | GET / HTTP/1.1\\r\\nHost: a\\r\\nConnection: Upgrade , CLOSE\\r\\n\\r\\n   | false",
        "HTTP/1.0 default                  | GET / HTTP/1.0\\r\\n\\r\\n                                            | false",
        "HTTP/1.0 keep-alive               | GET / HTTP/1.0\\r\\nConnection: Keep-Alive\\r\\n\\r\\n                   | true",
        "HTTP/1.0 keep-alive and close     | GET / HTTP/1.0\\r\\nConnection: keep-alive\\r\\nConnection: close\\r\\n\\r\\n | false",
        "a token that only starts with it  | GET / HTTP/1.1\\r\\nHost: a\\r\\nConnection: closed\\r\\n\\r\\n            | true",
    })
    void keepAlive(String name, String head, boolean keepAlive) throws HttpException {
        assertEquals(keepAlive, parse(head.replace("\\r\\n", "\r\n")).keepAlive(), name);
    }

    @Test
    void repeatedEqualContentLengthsAreOne() throws HttpException {
        assertEquals(7, parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\ncontent-length: 007\r\n\r\n")
                .contentLength());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "no method                     | 400 | ' / HTTP/1.1\r\nHost: a\r\n\r\n'",
        "two spaces                    | 400 | 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n'",
        "no target                     | 400 | 'GET HTTP/1.1\r\nHost: a\r\n\r\n'",
        "control byte in target        | 400 | 'GET /a\u0001 HTTP/1.1\r\nHost: a\r\n\r\n'",
        "non-ASCII target              | 400 | 'GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n'",
        "lower-case version            | 400 | 'GET / http/1.1\r\nHost: a\r\n\r\n'",
        "junk after version            | 400 | 'GET / HTTP/1.1 x\r\nHost: a\r\n\r\n'",
        "short version                 | 400 | 'GET / HTTP/1\r\nHost: a\r\n\r\n'",
        "garbage                       | 400 | 'hello\r\n\r\n'",
        "HTTP/2.0                      | 505 | 'GET / HTTP/2.0\r\nHost: a\r\n\r\n'",
        "HTTP/1.2                      | 505 | 'GET / HTTP/1.2\r\nHost: a\r\n\r\n'",
        "HTTP/0.9-style                | 505 | 'GET / HTTP/0.9\r\nHost: a\r\n\r\n'",
        "missing Host                  | 400 | 'GET / HTTP/1.1\r\n\r\n'",
        "two Hosts                     | 400 | 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'",
        "space before colon            | 400 | 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'",
        "no colon                      | 400 | 'GET / HTTP/1.1\r\nHost: a\r\nJunk\r\n\r\n'",
        "line folding                  | 400 | 'GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  2\r\n\r\n'",
        "bare CR in value              | 400 | 'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n'",
        "DEL in value                  | 400 | 'GET / HTTP/1.1\r\nHost: a\u007f\r\n\r\n'",
        "bare CR ending the head       | 400 | 'GET / HTTP/1.1\r\nHost: a\r\n\rx'",
        "signed Content-Length         | 400 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n'",
        "listed Content-Length         | 400 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n'",
        "empty Content-Length          | 400 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n'",
        "conflicting Content-Lengths   | 400 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n'",
        "Content-Length over max       | 413 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n'",
        "Content-Length over long      | 413 | 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n'",
        "chunked                       | 501 | 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'",
        "chunked and Content-Length    | 400 | 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n'",
        "not terminated                | 400 | 'GET / HTTP/1.1\r\nHost: a\r\n'",
    })
    void refusals(String name, int status, String head) {
        assertEquals(status, status(head.replace("\\r", "\r").replace("\\n", "\n")), name);
    }

    @Test
    void nulInAValueIsRefused() {
        assertEquals(400, status("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n"));
    }

    @Test
    void obsTextInAValueIsAccepted() throws HttpException {
        assertTrue(parse("GET / HTTP/1.1\r\nHost: a\r\nX: caf\u00e9\r\n\r\n").keepAlive());
    }

    @Test
    void contentLengthOfExactlyMaxIsAccepted() throws HttpException {
        assertEquals(MAX_BODY, parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n").contentLength());
    }
}

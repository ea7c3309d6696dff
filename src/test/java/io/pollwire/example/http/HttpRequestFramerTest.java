// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.codec.FramerCheck;
import io.pollwire.codec.FramerHarness;
import io.pollwire.codec.Framing;
import io.pollwire.codec.Outcome;
import io.pollwire.codec.Reference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HttpRequestFramerTest {
    static final int MAX_HEAD = 256;
    static final int MAX_BODY = 64;
    static final Framing FRAMING = HttpExample.framing(MAX_HEAD, MAX_BODY);

    static Outcome decode(String stream, int... reads) {
        return FramerHarness.run(FRAMING, FramerHarness.Mode.LOOP, ascii(stream),
                reads.length == 0 ? new int[] {Integer.MAX_VALUE} : reads, 1);
    }

    static List<String> requests(Outcome o) {
        List<String> out = new ArrayList<>();
        for (Outcome.Frame f : o.frames) {
            out.add(new String(f.content, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The status of the HttpException that ended the stream. */
    static int status(Outcome o) {
        assertEquals(HttpException.class, o.error, "expected an HTTP error, got " + o);
        return ((HttpException) o.exception).status();
    }

    static final String GET = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";
    static final String POST = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    void pipelinedRequestsInOneRead() {
        Outcome o = decode(GET + POST + GET);
        assertEquals(List.of(GET, POST, GET), requests(o));
        assertNull(o.error);
    }

    @Test
    void requestsSplitAnywhere() {
        for (int read = 1; read < 12; read++) {
            assertEquals(List.of(GET, POST, GET), requests(decode(GET + POST + GET, read)), "reads of " + read);
        }
    }

    @Test
    void bodyArrivingLaterCompletesTheRequest() {
        Outcome o = decode(POST.substring(0, POST.length() - 2));
        assertEquals(0, o.frames.size());
        assertEquals(POST.length() - 2, o.partial.length);
    }

    @Test
    void emptyLinesBeforeARequestBelongToIt() {
        assertEquals(List.of(GET, "\r\n\r\n" + GET), requests(decode(GET + "\r\n\r\n" + GET, 1)));
    }

    @Test
    void headOfExactlyMaxIsAccepted() {
        String prefix = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        String head = prefix + "x".repeat(MAX_HEAD - prefix.length() - 4) + "\r\n\r\n";
        assertEquals(MAX_HEAD, head.length());
        assertEquals(List.of(head), requests(decode(head, 7)));
    }

    @Test
    void headOverMaxIs431BeforeItEnds() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\nX: " + "x".repeat(MAX_HEAD);
        Outcome o = decode(head, 7);
        assertEquals(431, status(o));
        String complete = "GET / HTTP/1.1\r\nHost: a\r\nX: " + "x".repeat(MAX_HEAD - 30) + "\r\n\r\n";
        assertTrue(complete.length() > MAX_HEAD);
        assertEquals(431, status(decode(complete)));
    }

    @Test
    void bodyOverMaxIs413AsSoonAsTheHeadArrives() {
        Outcome o = decode(GET + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 65\r\n\r\n");
        assertEquals(List.of(GET), requests(o));
        assertEquals(413, status(o));
    }

    @Test
    void chunkedIs501() {
        assertEquals(501, status(decode("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
    }

    @Test
    void malformedRequestLineIs400AndOtherVersions505() {
        assertEquals(400, status(decode("GET /plaintext\r\n\r\n")));
        assertEquals(505, status(decode("GET / HTTP/2.0\r\nHost: a\r\n\r\n")));
    }

    /**
     * Random mixes of valid, oversized and malformed requests: every split must give what the
     * whole stream gives (the same requests, then the same error or leftover), every request
     * must parse again to exactly its frame, and nothing but HttpException may escape.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void anySplitFramesLikeTheWholeStream(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            s.writeBytes(ascii(randomRequest(r)));
        }
        checkStream(io.pollwire.codec.Seeds.rerun(getClass(), seed), seed, s.toByteArray());
    }

    static void checkStream(String context, long seed, byte[] stream) {
        Reference whole = st -> FramerHarness.run(FRAMING, FramerHarness.Mode.LOOP, st, new int[] {Integer.MAX_VALUE}, 0);
        Outcome o = FramerCheck.check(context, seed, FRAMING, whole, stream);
        for (Outcome.Frame f : o.frames) {
            HttpRequestHead h = new HttpRequestHead();
            ByteBuffer buf = ByteBuffer.wrap(f.content);
            try {
                HttpRequestParser.parseHead(buf, 0, f.content.length, MAX_BODY, h);
            } catch (HttpException e) {
                throw new AssertionError(context + ": a framed request does not parse: "
                        + e.getMessage() + ": " + Outcome.show(f.content), e);
            }
            assertEquals(f.content.length, h.headEnd() + h.contentLength(),
                    context + ": frame is not head + body: " + Outcome.show(f.content));
        }
        if (o.error != null) {
            assertEquals(HttpException.class, o.error, context);
        }
    }

    static String randomRequest(Random r) {
        String[] methods = {"GET", "POST", "HEAD", "PUT"};
        String[] targets = {"/plaintext", "/echo", "/", "/a?b=c", "*"};
        StringBuilder b = new StringBuilder();
        if (r.nextInt(10) == 0) {
            b.append("\r\n");
        }
        String eol = r.nextInt(8) == 0 ? "\n" : "\r\n";
        int minor = r.nextInt(10) == 0 ? 0 : 1;
        b.append(methods[r.nextInt(methods.length)]).append(' ').append(targets[r.nextInt(targets.length)])
                .append(" HTTP/1.").append(r.nextInt(30) == 0 ? 7 : minor).append(eol);
        if (minor == 1 && r.nextInt(20) != 0) {
            b.append("Host: example").append(eol);
        }
        int headers = r.nextInt(4);
        for (int i = 0; i < headers; i++) {
            b.append("X-").append(i).append(": ").append("v".repeat(r.nextInt(r.nextInt(10) == 0 ? 300 : 20))).append(eol);
        }
        if (r.nextInt(6) == 0) {
            b.append("Connection: ").append(r.nextBoolean() ? "close" : "keep-alive").append(eol);
        }
        int body = 0;
        switch (r.nextInt(8)) {
            case 0:
                body = r.nextInt(MAX_BODY + 3);
                b.append("Content-Length: ").append(body).append(eol);
                break;
            case 1:
                b.append("Transfer-Encoding: chunked").append(eol);
                break;
            case 2:
                b.append(r.nextBoolean() ? "Bad Header: x" : "Content-Length: x").append(eol);
                break;
            default:
                break;
        }
        b.append(eol);
        b.append("b".repeat(Math.min(body, MAX_BODY)));
        return b.toString();
    }
}

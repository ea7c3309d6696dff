// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

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

/**
 * The RESP framer: every split of a stream frames it as one read does, the SPI contract holds
 * on every call ({@link FramerCheck}), the arguments read back from each frame are the ones
 * sent, and protocol errors carry Redis's texts (checked against redis-server itself by
 * {@link RespCompatibilityTest}).
 */
class RespFramerTest {
    static final int MAX_ARGS = 8;
    static final int MAX_BULK = 200;
    static final Framing FRAMING = RespExample.framing(MAX_ARGS, MAX_BULK);

    static java.util.stream.LongStream seeds() {
        return io.pollwire.codec.Seeds.seeds();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomCommandsFrameAndParseBackUnderEverySplit(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        List<List<String>> sent = new ArrayList<>();
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            List<String> args = new ArrayList<>();
            int argc = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(MAX_ARGS);
            for (int j = 0; j < argc; j++) {
                args.add(r.nextInt(8) == 0 ? "x".repeat(r.nextInt(MAX_BULK + 1)) : "a" + r.nextInt(1000));
            }
            boolean inline = argc > 0 && r.nextInt(4) == 0;
            if (inline) {
                s.writeBytes((String.join(r.nextBoolean() ? " " : " \t ", args) + (r.nextBoolean() ? "\r\n" : "\n"))
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                s.writeBytes(array(args));
            }
            sent.add(args);
        }
        Outcome o = checkStream(io.pollwire.codec.Seeds.rerun(getClass(), seed), seed, s.toByteArray());
        assertNull(o.error, "no error expected, got " + o.errorMessage);
        assertEquals(sent.size(), o.frames.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i), args(o.frames.get(i).content), "command " + i);
        }
    }

    @Test
    void inlineQuotesAreSplitAsRedisDoes() {
        assertEquals(List.of("set", "a b", "cAd\n"), args(bytes("set \"a b\" \"c\\x41d\\n\"")));
        assertEquals(List.of("a'b", "ab c", "x"), args(bytes("'a\\'b' a\"b c\" x")));
        assertEquals(List.of("PING"), args(bytes("  PING  ")));
        assertEquals(List.of("a"), args(bytes("a\0b c")));
        assertEquals(List.of(), args(bytes("")));
    }

    @Test
    void protocolErrorsCarryRedisTexts() {
        assertError("*1\r\n$4\r\nPING\r\n*x\r\n", "Protocol error: invalid multibulk length", 1);
        assertError("*9\r\n", "Protocol error: invalid multibulk length", 0); // over MAX_ARGS
        assertError("*1\r\nPING\r\n", "Protocol error: expected '$', got 'P'", 0);
        assertError("*1\r\n$-1\r\n", "Protocol error: invalid bulk length", 0);
        assertError("*1\r\n$201\r\n", "Protocol error: invalid bulk length", 0); // over MAX_BULK
        assertError("*1\r\n$01\r\n", "Protocol error: invalid bulk length", 0);
        assertError("\"unbalanced\r\n", "Protocol error: unbalanced quotes in request", 0);
        assertError("SET x \"a\"b\r\n", "Protocol error: unbalanced quotes in request", 0);
        assertError("x".repeat(RespFramer.MAX_INLINE + 1), "Protocol error: too big inline request", 0);
        assertError("*" + "1".repeat(RespFramer.MAX_INLINE + 1), "Protocol error: too big mbulk count string", 0);
        assertError("*1\r\n$" + "1".repeat(RespFramer.MAX_INLINE + 1), "Protocol error: too big bulk count string", 0);
    }

    @Test
    void emptyArraysAndBlankLinesAreEmptyFramesAndTheBulkTrailerIsNotChecked() {
        Outcome o = whole("*0\r\n*-5\r\n\r\n*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n");
        assertNull(o.error);
        assertEquals(5, o.frames.size());
        assertEquals(0, o.frames.get(0).content.length);
        assertEquals(0, o.frames.get(2).content.length);
        assertEquals(List.of("PING"), args(o.frames.get(3).content));
    }

    @Test
    void aRequestOverTheLimitEndsTheConnectionSilently() {
        Framing framing = RespExample.framing(1024 * 1024, 1024 * 1024);
        int max = framing.maxFrameBytes();
        StringBuilder s = new StringBuilder("*100000\r\n");
        for (int i = 0; s.length() < max + 100; i++) {
            s.append("$1000\r\n").append("v".repeat(1000)).append("\r\n");
        }
        Outcome o = FramerHarness.run(framing, FramerHarness.Mode.LOOP, bytes(s.toString()), new int[] {4096}, 1);
        assertEquals(RespProtocolException.class, o.error);
        assertTrue(((RespProtocolException) o.exception).isSilent(), o.errorMessage);
    }

    static Outcome checkStream(String context, long seed, byte[] stream) {
        Reference whole = st -> FramerHarness.run(FRAMING, FramerHarness.Mode.LOOP, st, new int[] {Integer.MAX_VALUE}, 0);
        Outcome o = FramerCheck.check(context, seed, FRAMING, whole, stream);
        for (Outcome.Frame f : o.frames) {
            args(f.content); // every frame reads back without an exception
        }
        if (o.error != null) {
            assertEquals(RespProtocolException.class, o.error, context);
        }
        return o;
    }

    private static void assertError(String stream, String message, int framesBefore) {
        Outcome o = whole(stream);
        assertEquals(RespProtocolException.class, o.error, "for " + Outcome.show(bytes(stream)));
        assertEquals(message, o.errorMessage);
        assertEquals(framesBefore, o.frames.size());
    }

    private static Outcome whole(String stream) {
        return checkStream("example", 1, bytes(stream));
    }

    static byte[] array(List<String> args) {
        StringBuilder b = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return bytes(b.toString());
    }

    static List<String> args(byte[] content) {
        RespArgs a = new RespArgs();
        int n = a.parse(ByteBuffer.wrap(content), 0, content.length);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[a.length(i)];
            a.buf().get(a.start(i), b);
            out.add(new String(b, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

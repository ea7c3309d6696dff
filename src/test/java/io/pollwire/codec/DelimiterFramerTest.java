// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static io.pollwire.codec.Decode.ascii;
import static io.pollwire.codec.Decode.contents;
import static io.pollwire.codec.Decode.decode;
import static io.pollwire.codec.Decode.raws;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DelimiterFramerTest {
    private static final byte[] CRLF = ascii("\r\n");

    @Test
    void framesExcludeTheDelimiterButTheRawFrameKeepsIt() {
        Outcome o = decode(Framing.delimiter(CRLF, 100), "ab\r\ncd\r\n");
        assertEquals(List.of("ab", "cd"), contents(o));
        assertEquals(List.of("ab\r\n", "cd\r\n"), raws(o));
    }

    @Test
    void delimiterSplitAtAReadBoundaryIsFound() {
        // reads: "ab\r" | "\ncd\r" | "\n"
        assertEquals(List.of("ab", "cd"), contents(decode(Framing.delimiter(CRLF, 100), "ab\r\ncd\r\n", 3, 4, 1)));
    }

    @Test
    void longDelimiterArrivingByteByByte() {
        Framing f = Framing.delimiter(ascii("\r\n\r\n"), 100);
        Outcome o = decode(f, "GET / HTTP/1.0\r\nA: b\r\n\r\nnext\r\n\r\n", 1);
        assertEquals(List.of("GET / HTTP/1.0\r\nA: b", "next"), contents(o));
    }

    @Test
    void aFalseStartOfTheDelimiterIsContent() {
        // "aab" inside "aaab": the search must retry one byte later, not after the false start
        Outcome o = decode(Framing.delimiter(ascii("aab"), 100), "xaaab|aaaab|", 1);
        assertEquals(List.of("xa", "|aa"), contents(o));
        assertArrayEquals(ascii("|"), o.partial);
    }

    @Test
    void emptyFramesAreValid() {
        assertEquals(List.of("", "", "a", ""), contents(decode(Framing.delimiter(CRLF, 4), "\r\n\r\na\r\n\r\n")));
        assertEquals(List.of("", ""), contents(decode(Framing.delimiter(new byte[] {0}, 0), new byte[] {0, 0})));
    }

    @Test
    void contentOfExactlyMaxIsAccepted() {
        assertEquals(List.of("12345"), contents(decode(Framing.delimiter(CRLF, 5), "12345\r\n", 1)));
    }

    @Test
    void oneByteOverMaxFailsBeforeTheDelimiterArrives() {
        Outcome o = decode(Framing.delimiter(CRLF, 5), "123456", 1);
        assertEquals(FrameTooLongException.class, o.error);
        assertEquals("frame too long (max 5 bytes)", o.errorMessage);
    }

    @Test
    void aDelimiterPrefixRightAfterMaxBytesKeepsWaiting() {
        // 5 bytes of content then '\r': still valid if '\n' follows
        Outcome o = decode(Framing.delimiter(CRLF, 5), "12345\r", 1);
        assertNull(o.error);
        assertArrayEquals(ascii("12345\r"), o.partial);
        assertEquals(FrameTooLongException.class, decode(Framing.delimiter(CRLF, 5), "12345\rx", 1).error);
    }

    @Test
    void overMaxWithTheDelimiterInTheSameReadIsAnError() {
        Outcome o = decode(Framing.delimiter(CRLF, 3), "ok\r\ntoolong\r\nnever\r\n");
        assertEquals(List.of("ok"), contents(o));
        assertEquals(FrameTooLongException.class, o.error);
    }

    @Test
    void neverKeepsMoreThanMaxPlusDelimiterMinusOneBytes() {
        Framing f = Framing.delimiter(ascii("END"), 10);
        assertEquals(13, f.maxFrameBytes());
        // 10 bytes of content plus "EN": the most that can be pending
        Outcome o = decode(f, "0123456789EN", 1);
        assertArrayEquals(ascii("0123456789EN"), o.partial);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Framing.delimiter(new byte[0], 10));
        assertThrows(IllegalArgumentException.class, () -> Framing.delimiter(CRLF, -1));
        assertThrows(IllegalArgumentException.class,
                () -> Framing.delimiter(new byte[DelimiterFramer.MAX_DELIMITER_LENGTH + 1], 10));
        assertThrows(IllegalArgumentException.class, () -> Framing.delimiter(CRLF, Integer.MAX_VALUE - 16));
    }

    @Test
    void delimiterIsCopied() {
        byte[] d = ascii(";");
        Framing f = Framing.delimiter(d, 10);
        d[0] = ',';
        assertEquals(List.of("a,b"), contents(decode(f, "a,b;")));
        assertEquals("delimiter(3b, max 10)", f.toString());
    }

    /** Delimiters chosen for overlaps with themselves (aab, abab, aaa), common ones, and random ones. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void randomStreamsMatchTheReference(long seed) {
        Random r = new Random(seed);
        byte[][] shapes = {CRLF, ascii("\r\n\r\n"), {0}, ascii("aab"), ascii("abab"), ascii("aaa"), ascii("a"),
            Decode.randomBytes(r, 1 + r.nextInt(5), ascii("ab\r\n"))};
        byte[] delimiter = shapes[r.nextInt(shapes.length)];
        int max = Decode.pick(r, 0, 1, 2, 5, 16, r.nextInt(64));
        byte[] alphabet = r.nextBoolean() ? ascii("ab\r\nx") : concat(delimiter, ascii("x"));
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        int frames = r.nextInt(30);
        for (int i = 0; i < frames; i++) {
            int len = r.nextInt(8) == 0 ? max + r.nextInt(3) : r.nextInt(max + 1);
            s.writeBytes(Decode.randomBytes(r, len, alphabet));
            if (r.nextInt(10) != 0) {
                s.writeBytes(delimiter);
            }
        }
        s.writeBytes(Decode.randomBytes(r, r.nextInt(max + delimiter.length + 2), alphabet));
        FramerCheck.check(getClass(), seed, Framing.delimiter(delimiter, max), Reference.delimiter(delimiter, max),
                s.toByteArray());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

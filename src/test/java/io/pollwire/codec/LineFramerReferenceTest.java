// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static io.pollwire.codec.Decode.contents;
import static io.pollwire.codec.Decode.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The line framer through the same harness and reference check as the other framers. */
class LineFramerReferenceTest {
    @Test
    void crlfAndLfLinesSplitAnywhere() {
        assertEquals(List.of("a", "", "bc"), contents(decode(Framing.lines(10), "a\r\n\nbc\n", 1)));
        assertEquals(List.of("a", "", "bc"), contents(decode(Framing.lines(10), "a\r\n\nbc\n")));
    }

    @Test
    void maxContentPlusCarriageReturnWaitsForTheNewline() {
        Outcome o = decode(Framing.lines(3), "abc\r", 1);
        assertEquals(null, o.error);
        assertEquals(List.of("abc"), contents(decode(Framing.lines(3), "abc\r\n", 1)));
        assertEquals(FrameTooLongException.class, decode(Framing.lines(3), "abcd", 1).error);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void randomStreamsMatchTheReference(long seed) {
        Random r = new Random(seed);
        int max = Decode.pick(r, 1, 2, 7, 8, 9, 16, 1 + r.nextInt(100));
        byte[] alphabet = Decode.ascii(r.nextBoolean() ? "ab\r\n" : "abcdefghijklmnopqrstuvwxyz\r\n");
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int lines = r.nextInt(30);
        for (int i = 0; i < lines; i++) {
            s.writeBytes(Decode.randomBytes(r, r.nextInt(10) == 0 ? max + r.nextInt(3) : r.nextInt(max + 1),
                    alphabet));
            s.writeBytes(Decode.ascii(r.nextBoolean() ? "\n" : "\r\n"));
        }
        s.writeBytes(Decode.randomBytes(r, r.nextInt(max + 3), alphabet));
        FramerCheck.check(getClass(), seed, Framing.lines(max), Reference.lines(max), s.toByteArray());
    }
}

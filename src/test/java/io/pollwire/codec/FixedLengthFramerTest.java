// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static io.pollwire.codec.Decode.contents;
import static io.pollwire.codec.Decode.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FixedLengthFramerTest {
    private static final Framing FOUR = Framing.fixedLength(4);

    @Test
    void coalescedFramesAreAllDelivered() {
        Outcome o = decode(FOUR, "AAAABBBBCCCC");
        assertEquals(List.of("AAAA", "BBBB", "CCCC"), contents(o));
        assertEquals(0, o.partial.length);
    }

    @Test
    void frameSplitAcrossReadsIsDeliveredWhenComplete() {
        assertEquals(List.of("AAAA", "BBBB"), contents(decode(FOUR, "AAAABBBB", 3, 2, 3)));
    }

    @Test
    void byteByByte() {
        assertEquals(List.of("AAAA", "BBBB"), contents(decode(FOUR, "AAAABBBB", 1)));
    }

    @Test
    void trailingBytesAreLeftAsPartialFrame() {
        Outcome o = decode(FOUR, "AAAABB", 5);
        assertEquals(List.of("AAAA"), contents(o));
        assertArrayEquals(Decode.ascii("BB"), o.partial);
        assertNull(o.error);
    }

    @Test
    void oneByteFramesOneAtATime() {
        assertEquals(List.of("a", "b", "c"), contents(decode(Framing.fixedLength(1), "abc")));
    }

    @Test
    void framesOfTheWholeBufferFit() {
        byte[] big = new byte[100_000];
        new Random(7).nextBytes(big);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.write(big, 0, big.length);
        two.write(big, 0, big.length);
        Outcome o = decode(Framing.fixedLength(big.length), two.toByteArray(), 65536);
        assertEquals(2, o.frames.size());
        assertArrayEquals(big, o.frames.get(1).content);
    }

    @Test
    void rejectsLengthsThatCannotFrame() {
        assertThrows(IllegalArgumentException.class, () -> Framing.fixedLength(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.fixedLength(-1));
        assertThrows(IllegalArgumentException.class, () -> Framing.fixedLength(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new FixedLengthFramer(0));
    }

    @Test
    void maxFrameBytesIsTheLength() {
        assertEquals(4, FOUR.maxFrameBytes());
        assertEquals("fixedLength(4)", FOUR.toString());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void randomStreamsMatchTheReference(long seed) {
        Random r = new Random(seed);
        int n = Decode.pick(r, 1, 2, 3, 7, 8, 9, 64, 1 + r.nextInt(300));
        byte[] stream = Decode.randomBytes(r, r.nextInt(n * 12 + 5));
        FramerCheck.check(getClass(), seed, Framing.fixedLength(n), Reference.fixedLength(n), stream);
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static io.pollwire.codec.Decode.contents;
import static io.pollwire.codec.Decode.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LengthFieldFramerTest {
    /** {@code width} bytes of {@code value} in {@code order}, e.g. field(2, BIG_ENDIAN, 5) = 00 05. */
    static byte[] field(int width, ByteOrder order, long value) {
        byte[] b = new byte[width];
        for (int k = 0; k < width; k++) {
            byte v = (byte) (value >>> (8 * k));
            b[order == ByteOrder.BIG_ENDIAN ? width - 1 - k : k] = v;
        }
        return b;
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof String ? Decode.ascii((String) p) : (byte[]) p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "width {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyWidthInBothByteOrders(int width) {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            // a 1-byte field describes frames of 1 + 255 bytes at most
            int max = width == 1 ? 1 + 255 : width + 300;
            Framing f = Framing.lengthField().fieldWidth(width).byteOrder(order).maxFrameLength(max).build();
            // 258 = 0x0102 shows a byte-order mistake; one byte holds 200 at most
            byte[] payload = new byte[width == 1 ? 200 : 258];
            payload[payload.length - 1] = 'z';
            byte[] s = bytes(field(width, order, 3), "abc", field(width, order, 0),
                    field(width, order, payload.length), payload);
            Outcome o = decode(f, s, 1);
            assertEquals(3, o.frames.size(), order.toString());
            assertEquals(List.of("abc", ""), contents(o).subList(0, 2), order.toString());
            assertArrayEquals(payload, o.frames.get(2).content, order.toString());
            assertNull(o.error);
        }
    }

    @Test
    void headerIncludedWhenKept() {
        Framing f = Framing.lengthField().fieldWidth(2).keepHeader().build();
        Outcome o = decode(f, bytes(field(2, ByteOrder.BIG_ENDIAN, 5), "HELLO"));
        assertArrayEquals(bytes(field(2, ByteOrder.BIG_ENDIAN, 5), "HELLO"), o.frames.get(0).content);
    }

    @Test
    void lengthCountingTheWholeFrame() {
        Framing f = Framing.lengthField().fieldWidth(2).lengthAdjustment(-2).build();
        assertEquals(List.of("HELLO", ""), contents(decode(f, bytes(new byte[] {0, 7}, "HELLO", new byte[] {0, 2}))));
    }

    @Test
    void fieldAfterAPrefixInLittleEndian() {
        Framing f = Framing.lengthField().fieldOffset(2).fieldWidth(4).byteOrder(ByteOrder.LITTLE_ENDIAN)
                .keepHeader().build();
        byte[] frame = bytes(new byte[] {(byte) 0xCA, (byte) 0xFE, 5, 0, 0, 0}, "HELLO");
        Outcome o = decode(f, bytes(frame, frame), 3);
        assertEquals(2, o.frames.size());
        assertArrayEquals(frame, o.frames.get(1).content);
    }

    @Test
    void fieldNotCountingAVersionByteAfterIt() {
        Framing f = Framing.lengthField().fieldWidth(2).lengthAdjustment(1).stripBytes(2).build();
        assertEquals(List.of("\u0001HELLO"), contents(decode(f, bytes(new byte[] {0, 5, 1}, "HELLO"))));
    }

    @Test
    void zeroLengthPayloads() {
        Framing f = Framing.lengthField(1, 10);
        Outcome o = decode(f, new byte[] {0, 0, 1, 'x', 0});
        assertEquals(List.of("", "", "x", ""), contents(o));
    }

    @Test
    void frameOfExactlyMaxIsAccepted() {
        Framing f = Framing.lengthField(2, 2 + 5);
        assertEquals(List.of("12345"), contents(decode(f, bytes(new byte[] {0, 5}, "12345"))));
    }

    @Test
    void oneOverMaxFailsAsSoonAsTheHeaderIsRead() {
        Framing f = Framing.lengthField(2, 2 + 5);
        Outcome o = decode(f, new byte[] {0, 6}, 1); // no body sent at all
        assertEquals(FrameTooLongException.class, o.error);
        assertEquals("frame too long: length field 6 (a frame of 8 bytes), max 7 bytes", o.errorMessage);
    }

    @Test
    void fourByteLengthOverflowingIntIsTooLong() {
        Framing f = Framing.lengthField(4, 1000);
        Outcome o = decode(f, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'x'});
        assertEquals(FrameTooLongException.class, o.error);
        assertTrue(o.errorMessage.contains("4294967295 (over 2^31-1 bytes)"), o.errorMessage);
        // 0x7FFFFFFF plus the 4-byte header overflows int too
        o = decode(f, new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        assertEquals(FrameTooLongException.class, o.error);
    }

    @Test
    void eightByteLengthsBeyondLongAreTooLongNotNegative() {
        Framing f = Framing.lengthField().fieldWidth(8).lengthAdjustment(Integer.MAX_VALUE).build();
        byte[] all = {-1, -1, -1, -1, -1, -1, -1, -1};
        Outcome o = decode(f, all);
        assertEquals(FrameTooLongException.class, o.error);
        assertTrue(o.errorMessage.contains("18446744073709551615"), o.errorMessage);
        // Long.MAX_VALUE + a positive adjustment must not wrap around to a small length
        o = decode(f, new byte[] {0x7F, -1, -1, -1, -1, -1, -1, -1});
        assertEquals(FrameTooLongException.class, o.error);
    }

    @Test
    void negativeAdjustedLengthIsAnError() {
        Framing f = Framing.lengthField().fieldWidth(2).lengthAdjustment(-2).build();
        Outcome o = decode(f, new byte[] {0, 1, 'x'});
        assertEquals(FramingException.class, o.error);
        assertEquals("negative frame length: length field 1 + adjustment -2 < 0", o.errorMessage);
    }

    @Test
    void frameShorterThanTheBytesToStripIsAnError() {
        Framing f = Framing.lengthField().fieldWidth(1).stripBytes(4).build();
        Outcome o = decode(f, new byte[] {2, 'a', 'b'});
        assertEquals(FramingException.class, o.error);
        assertEquals("frame of 3 bytes is shorter than the 4 bytes to strip", o.errorMessage);
    }

    @Test
    void theHeaderAloneIsNotAFrame() {
        Outcome o = decode(Framing.lengthField(4, 100), new byte[] {0, 0, 0}, 1);
        assertEquals(0, o.frames.size());
        assertArrayEquals(new byte[] {0, 0, 0}, o.partial);
    }

    @Test
    void builderRejectsImpossibleLayouts() {
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().fieldWidth(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().fieldWidth(9));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().fieldOffset(-1));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().stripBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().maxFrameLength(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().maxFrameLength(Integer.MAX_VALUE));
        assertThrows(NullPointerException.class, () -> Framing.lengthField().byteOrder(null));
        assertThrows(IllegalArgumentException.class,
                () -> Framing.lengthField().fieldOffset(10).fieldWidth(4).maxFrameLength(13).build());
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField().stripBytes(20).maxFrameLength(10).build());
    }

    @Test
    void aLimitTheFieldCannotReachIsRejectedAndADefaultOneLowered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(1, 100000));
        assertTrue(e.getMessage().contains("maxFrameLength 100000 can never be reached: a 1-byte length field counts"
                + " at most 255 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 256 bytes"), e.getMessage());
        assertEquals(256, Framing.lengthField(1, 256).maxFrameLength());
        assertThrows(IllegalArgumentException.class, () -> Framing.lengthField(2, 2 + 65536));
        assertEquals(2 + 65535, Framing.lengthField(2, 2 + 65535).maxFrameLength());
        assertThrows(IllegalArgumentException.class,
                () -> Framing.lengthField().fieldOffset(3).fieldWidth(3).maxFrameLength(3 + 3 + (1 << 24)).build());
        // a positive adjustment adds to what the field counts; 4 bytes and more reach any int
        assertEquals(1 + 255 + 10,
                Framing.lengthField().fieldWidth(1).lengthAdjustment(10).maxFrameLength(266).build().maxFrameLength());
        assertEquals(Integer.MAX_VALUE - 16, Framing.lengthField(4, Integer.MAX_VALUE - 16).maxFrameLength());
        // left at the default (64 KiB), the limit becomes what the field can describe
        assertEquals(256, Framing.lengthField().fieldWidth(1).build().maxFrameLength());
        assertEquals(LengthFieldFraming.DEFAULT_MAX_FRAME_LENGTH,
                Framing.lengthField().fieldWidth(2).build().maxFrameLength());
    }

    @Test
    void describesItself() {
        LengthFieldFraming f = Framing.lengthField().fieldOffset(1).fieldWidth(2).byteOrder(ByteOrder.LITTLE_ENDIAN)
                .lengthAdjustment(-3).keepHeader().maxFrameLength(100).build();
        assertEquals("lengthField(offset 1, width 2, little-endian, adjustment -3, strip 0, max 100)", f.toString());
        assertEquals(100, f.maxFrameBytes());
        assertEquals(3, f.headerLength());
        assertEquals(4, Framing.lengthField().build().stripBytes());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void randomStreamsMatchTheReference(long seed) {
        Random r = new Random(seed);
        int offset = Decode.pick(r, 0, 0, 1, 3);
        int width = Decode.pick(r, 1, 2, 4, 8, 1 + r.nextInt(8));
        int header = offset + width;
        ByteOrder order = r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int adjustment = Decode.pick(r, 0, 0, -header, -header - 1, 1, r.nextInt(2 * header + 5) - header - 2);
        int max = header + Decode.pick(r, 0, 1, 8, 40, r.nextInt(200));
        LengthFieldFraming.Builder b = Framing.lengthField().fieldOffset(offset).fieldWidth(width).byteOrder(order)
                .lengthAdjustment(adjustment).maxFrameLength(max);
        switch (r.nextInt(3)) {
            case 0:
                b.keepHeader();
                break;
            case 1:
                b.stripBytes(r.nextInt(Math.min(max, header + 4) + 1));
                break;
            default:
                b.stripHeader();
        }
        LengthFieldFraming f = b.build();
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int frames = r.nextInt(25);
        for (int i = 0; i < frames; i++) {
            int body = r.nextInt(max - header + 3); // bytes after the field; may be over max
            long value = body - adjustment;
            if (value < 0 || r.nextInt(12) == 0) {
                value = r.nextBoolean() ? r.nextLong() : r.nextInt(300); // anything the field can hold
            }
            if (width < 8 && BigInteger.valueOf(value).bitLength() > 8 * width) {
                value &= (1L << (8 * width)) - 1;
            }
            s.writeBytes(Decode.randomBytes(r, offset));
            s.writeBytes(field(width, order, value));
            s.writeBytes(Decode.randomBytes(r, body));
        }
        s.writeBytes(Decode.randomBytes(r, r.nextInt(header + 4)));
        FramerCheck.check(getClass(), seed, f, Reference.lengthField(f), s.toByteArray());
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Frames whose header carries their length: the framing of most binary protocols. Made by
 * {@link Framing#lengthField()} (a {@link Builder}) or {@link Framing#lengthField(int, int)}.
 *
 * <p>A frame is a header of {@code fieldOffset + fieldWidth} bytes that ends with an unsigned
 * length field, then the rest of the frame. The field's value {@code L} gives the frame's total
 * size in the stream as
 *
 * <pre>
 *   frame bytes = fieldOffset + fieldWidth + L + lengthAdjustment
 * </pre>
 *
 * <p>so {@code lengthAdjustment} is 0 when {@code L} counts the bytes after the field, and
 * {@code -(fieldOffset + fieldWidth)} when {@code L} counts the whole frame, header included.
 * The handler is given the frame without its first {@code stripBytes} bytes: by default the
 * header ({@link Builder#stripHeader()}), or nothing ({@link Builder#keepHeader()}).
 * {@link io.pollwire.Connection#echo()} always sends the whole frame, header included.
 *
 * <p>The same variants as Netty's {@code LengthFieldBasedFrameDecoder}, with the same names
 * in parentheses:
 *
 * <pre>{@code
 * // 2-byte big-endian payload length, handler sees the payload:
 * //   [00 05] H E L L O  ->  "HELLO"
 * Framing.lengthField().fieldWidth(2).maxFrameLength(2 + 65535).build();
 *
 * // Keep the header (initialBytesToStrip = 0):
 * //   [00 05] H E L L O  ->  [00 05] H E L L O
 * Framing.lengthField().fieldWidth(2).keepHeader().build();
 *
 * // The field counts the whole frame, header included (lengthAdjustment = -2):
 * //   [00 07] H E L L O  ->  "HELLO"
 * Framing.lengthField().fieldWidth(2).lengthAdjustment(-2).build();
 *
 * // A 2-byte type before a 4-byte little-endian length (lengthFieldOffset = 2), keep both:
 * //   [CA FE] [05 00 00 00] H E L L O  ->  the 11 bytes
 * Framing.lengthField().fieldOffset(2).fieldWidth(4).byteOrder(ByteOrder.LITTLE_ENDIAN)
 *         .keepHeader().build();
 *
 * // A 1-byte version after the length, which the length does not count (lengthAdjustment = 1),
 * // strip only the length field (initialBytesToStrip = 2):
 * //   [00 05] [01] H E L L O  ->  [01] H E L L O
 * Framing.lengthField().fieldWidth(2).lengthAdjustment(1).stripBytes(2).build();
 * }</pre>
 *
 * <p>Errors, each a {@link FramingException} that closes only the offending connection, raised
 * as soon as the header is complete (before any of the body is buffered):
 * <ul>
 *   <li>a frame longer than {@code maxFrameLength}, including a field value that does not fit
 *       in an {@code int} or even a signed {@code long}: {@link FrameTooLongException};
 *   <li>a negative adjusted length ({@code L + lengthAdjustment < 0}: the frame would end
 *       inside its own header);
 *   <li>a frame shorter than {@code stripBytes}.
 * </ul>
 */
public final class LengthFieldFraming extends Framing {
    /** The default {@link Builder#maxFrameLength}: 64 KiB, header included. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;

    private final int fieldOffset;
    private final int fieldWidth;
    private final ByteOrder byteOrder;
    private final int lengthAdjustment;
    private final int stripBytes;
    private final int maxFrameLength;

    private LengthFieldFraming(Builder b, int stripBytes) {
        this.fieldOffset = b.fieldOffset;
        this.fieldWidth = b.fieldWidth;
        this.byteOrder = b.byteOrder;
        this.lengthAdjustment = b.lengthAdjustment;
        this.stripBytes = stripBytes;
        this.maxFrameLength = b.maxFrameLength;
    }

    @Override
    public Framer newFramer() {
        return new LengthFieldFramer(this);
    }

    /** @return {@link #maxFrameLength()}: the header is part of the frame */
    @Override
    public int maxFrameBytes() {
        return maxFrameLength;
    }

    /** @return bytes before the length field */
    public int fieldOffset() {
        return fieldOffset;
    }

    /** @return bytes of the length field, 1 to 8 */
    public int fieldWidth() {
        return fieldWidth;
    }

    /** @return {@code fieldOffset() + fieldWidth()}: bytes needed before the length is known */
    public int headerLength() {
        return fieldOffset + fieldWidth;
    }

    /** @return the byte order of the length field */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** @return added to the field's value (after the header) to get the bytes that follow the field */
    public int lengthAdjustment() {
        return lengthAdjustment;
    }

    /** @return bytes removed from the front of each frame before the handler sees it */
    public int stripBytes() {
        return stripBytes;
    }

    /** @return the most bytes one frame may occupy, header included */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public String toString() {
        return "lengthField(offset " + fieldOffset + ", width " + fieldWidth + ", "
                + (byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, adjustment "
                + lengthAdjustment + ", strip " + stripBytes + ", max " + maxFrameLength + ")";
    }

    /**
     * Settings of a {@link LengthFieldFraming}. Defaults: a 4-byte big-endian field at offset 0
     * counting the bytes after it, header stripped, frames of at most
     * {@link #DEFAULT_MAX_FRAME_LENGTH} bytes.
     */
    public static final class Builder {
        private static final int STRIP_HEADER = -1;

        private int fieldOffset;
        private int fieldWidth = 4;
        private ByteOrder byteOrder = ByteOrder.BIG_ENDIAN;
        private int lengthAdjustment;
        private int stripBytes = STRIP_HEADER;
        private int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
        private boolean maxFrameLengthGiven;

        Builder() {}

        /**
         * @param bytes bytes before the length field, e.g. a type or magic number (Netty's
         *     {@code lengthFieldOffset}); default 0
         * @return this builder
         */
        public Builder fieldOffset(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("fieldOffset must not be negative: " + bytes);
            }
            this.fieldOffset = bytes;
            return this;
        }

        /**
         * @param bytes width of the length field, 1 to 8 (1, 2, 4 and 8 are the usual ones;
         *     Netty's {@code lengthFieldLength}); its value is read as unsigned; default 4
         * @return this builder
         */
        public Builder fieldWidth(int bytes) {
            if (bytes < 1 || bytes > 8) {
                throw new IllegalArgumentException("fieldWidth must be in 1..8: " + bytes);
            }
            this.fieldWidth = bytes;
            return this;
        }

        /**
         * @param order byte order of the length field; default big-endian (network order)
         * @return this builder
         */
        public Builder byteOrder(ByteOrder order) {
            this.byteOrder = Objects.requireNonNull(order, "order");
            return this;
        }

        /**
         * @param bytes added to the field's value to get the number of bytes after the field
         *     (Netty's {@code lengthAdjustment}): {@code -headerLength} when the value counts
         *     the whole frame, positive when it leaves out bytes that follow the field; default 0
         * @return this builder
         */
        public Builder lengthAdjustment(int bytes) {
            this.lengthAdjustment = bytes;
            return this;
        }

        /**
         * @param bytes bytes removed from the front of each frame before the handler sees it
         *     (Netty's {@code initialBytesToStrip})
         * @return this builder
         */
        public Builder stripBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("stripBytes must not be negative: " + bytes);
            }
            this.stripBytes = bytes;
            return this;
        }

        /**
         * The handler sees what follows the length field (the default):
         * {@code stripBytes(fieldOffset + fieldWidth)}.
         *
         * @return this builder
         */
        public Builder stripHeader() {
            this.stripBytes = STRIP_HEADER;
            return this;
        }

        /**
         * The handler sees whole frames, header included: {@code stripBytes(0)}.
         *
         * @return this builder
         */
        public Builder keepHeader() {
            this.stripBytes = 0;
            return this;
        }

        /**
         * @param bytes the most bytes one frame may occupy in the stream, header included
         *     (Netty's {@code maxFrameLength}); the event loop's input buffer is sized by it;
         *     default {@link #DEFAULT_MAX_FRAME_LENGTH}, or less when the field cannot
         *     describe a frame that long (see {@link #build()})
         * @return this builder
         */
        public Builder maxFrameLength(int bytes) {
            if (bytes <= 0 || bytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxFrameLength must be in 1.." + (Integer.MAX_VALUE - 16)
                        + ": " + bytes);
            }
            this.maxFrameLength = bytes;
            this.maxFrameLengthGiven = true;
            return this;
        }

        /**
         * The longest frame the length field can describe: the header, the field's largest
         * unsigned value ({@code 2^(8 * fieldWidth) - 1}) and a positive adjustment.
         */
        private long longestDescribableFrame() {
            if (fieldWidth >= 4) {
                return Long.MAX_VALUE; // 2^32 - 1 already exceeds any int limit
            }
            long largestValue = (1L << (8 * fieldWidth)) - 1;
            return fieldOffset + fieldWidth + largestValue + Math.max(0, lengthAdjustment);
        }

        /**
         * Checks the settings together. A {@code maxFrameLength} the field cannot reach is a
         * mistake, e.g. {@code lengthField(1, 100000)}: a 1-byte field counts at most 255 bytes.
         * Left at its default, the limit is lowered to what the field can describe instead.
         *
         * @return the framing
         * @throws IllegalArgumentException when the header does not fit in
         *     {@code maxFrameLength}, or {@code stripBytes} exceeds it (no frame could be valid),
         *     or a given {@code maxFrameLength} exceeds the longest frame the field can describe
         *     ({@code fieldOffset + fieldWidth + 2^(8 * fieldWidth) - 1}, plus a positive
         *     {@code lengthAdjustment})
         */
        public LengthFieldFraming build() {
            long longest = longestDescribableFrame();
            if (maxFrameLength > longest) {
                if (maxFrameLengthGiven) {
                    throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " can never be reached: a "
                            + fieldWidth + "-byte length field counts at most " + ((1L << (8 * fieldWidth)) - 1)
                            + " bytes, so a frame (offset " + fieldOffset + " + field " + fieldWidth
                            + " + value + adjustment " + lengthAdjustment + ") is at most " + longest
                            + " bytes; give maxFrameLength <= " + longest + " or a wider field");
                }
                maxFrameLength = (int) longest;
            }
            long header = (long) fieldOffset + fieldWidth;
            if (header > maxFrameLength) {
                throw new IllegalArgumentException("the header (fieldOffset " + fieldOffset + " + fieldWidth "
                        + fieldWidth + ") does not fit in maxFrameLength " + maxFrameLength);
            }
            int strip = stripBytes == STRIP_HEADER ? (int) header : stripBytes;
            if (strip > maxFrameLength) {
                throw new IllegalArgumentException("stripBytes " + strip + " exceeds maxFrameLength " + maxFrameLength);
            }
            return new LengthFieldFraming(this, strip);
        }
    }
}

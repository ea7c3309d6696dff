// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.util.function.Supplier;

/**
 * How a server cuts its connections' byte streams into frames: a factory of one {@link Framer}
 * per connection, plus the bound the event loop sizes its buffers by.
 *
 * <p>The three classic ways to delimit messages in a TCP stream, and lines (the default):
 *
 * <pre>{@code
 * Framing.lines()                          // '\n'-terminated lines ("\r\n" too), at most 64 KiB each
 * Framing.lines(1024)                      // at most 1 KiB of content per line
 * Framing.fixedLength(16)                  // 16-byte records
 * Framing.delimiter(new byte[] {0}, 4096)  // NUL-terminated records of up to 4 KiB
 * Framing.lengthField(4, 1 << 20)          // 4-byte big-endian length, then that many bytes
 * Framing.lengthField()                    // any length-field layout: see LengthFieldFraming
 *         .fieldOffset(2).fieldWidth(2).byteOrder(ByteOrder.LITTLE_ENDIAN)
 *         .lengthAdjustment(-4).keepHeader().maxFrameLength(8192)
 *         .build();
 * Framing.custom(MyFramer::new, 4096)      // your own Framer: see Framer for the contract
 * }</pre>
 *
 * <p>A framing is immutable and shared by all connections of a server; each connection gets
 * its own framer from {@link #newFramer()}.
 */
public abstract class Framing {
    /** The default maximum line length: 64 KiB. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    /** For subclasses. */
    protected Framing() {}

    /** @return a new framer, in its initial state, for one connection */
    public abstract Framer newFramer();

    /**
     * The most bytes one frame can occupy in the stream, including its delimiter or header: the
     * event loop guarantees its input buffer holds at least this much.
     *
     * @return a positive bound
     */
    public abstract int maxFrameBytes();

    /**
     * Lines ending in {@code '\n'}, with an optional {@code '\r'} before it; the frame handed
     * to the handler excludes the line ending. At most {@link #DEFAULT_MAX_LINE} bytes.
     *
     * @return the line framing
     */
    public static Framing lines() {
        return lines(DEFAULT_MAX_LINE);
    }

    /**
     * Lines of at most {@code maxLength} bytes of content (the line ending not counted).
     *
     * @param maxLength positive limit; a longer line fails only its own connection
     * @return the line framing
     */
    public static Framing lines(int maxLength) {
        if (maxLength <= 0 || maxLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLength must be in 1.." + (Integer.MAX_VALUE - 16)
                    + ": " + maxLength);
        }
        return new Custom(() -> new LineFramer(maxLength), maxLength + 2, "lines(max " + maxLength + ")");
    }

    /**
     * Frames of exactly {@code length} bytes each: see {@link FixedLengthFramer}.
     *
     * <pre>{@code
     * Framing.fixedLength(8)   // "AAAABBBBCCCCDDDD" -> "AAAABBBB", "CCCCDDDD"
     * }</pre>
     *
     * @param length bytes per frame, 1 to {@code Integer.MAX_VALUE - 16}
     * @return the framing
     */
    public static Framing fixedLength(int length) {
        if (length <= 0 || length > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("length must be in 1.." + (Integer.MAX_VALUE - 16) + ": " + length);
        }
        return new Custom(() -> new FixedLengthFramer(length), length, "fixedLength(" + length + ")");
    }

    /**
     * Frames ending with {@code delimiter}, which is not part of the frame handed to the
     * handler (but is sent back by {@link io.pollwire.Connection#echo()}): see
     * {@link DelimiterFramer}.
     *
     * <pre>{@code
     * Framing.delimiter(new byte[] {'\r', '\n'}, 1024)   // "a\r\n\r\nbc\r\n" -> "a", "", "bc"
     * }</pre>
     *
     * @param delimiter 1 to {@link DelimiterFramer#MAX_DELIMITER_LENGTH} bytes (copied)
     * @param maxLength the most content bytes per frame, the delimiter not counted; a longer
     *     frame fails only its own connection, before more than
     *     {@code maxLength + delimiter.length - 1} of its bytes are buffered
     * @return the framing
     */
    public static Framing delimiter(byte[] delimiter, int maxLength) {
        DelimiterFramer.checkArguments(delimiter, maxLength);
        byte[] copy = delimiter.clone();
        return new Custom(() -> new DelimiterFramer(copy, maxLength), maxLength + copy.length,
                "delimiter(" + DelimiterFramer.hex(copy) + ", max " + maxLength + ")");
    }

    /**
     * The most common length-prefixed layout: a {@code fieldWidth}-byte big-endian length at
     * the start of each frame, counting the bytes that follow it; the handler sees those bytes,
     * without the length.
     *
     * <pre>{@code
     * Framing.lengthField(2, 1026)   // [00 03] a b c [00 00] -> "abc", ""
     * }</pre>
     *
     * @param fieldWidth bytes of the length field, 1 to 8
     * @param maxFrameLength the most bytes one frame may occupy, length field included; at
     *     most {@code fieldWidth + 2^(8 * fieldWidth) - 1} (256 for a 1-byte field, 65537 for
     *     a 2-byte one)
     * @return the framing; {@link #lengthField()} builds any other layout
     * @throws IllegalArgumentException when {@code maxFrameLength} is out of those bounds
     */
    public static LengthFieldFraming lengthField(int fieldWidth, int maxFrameLength) {
        return lengthField().fieldWidth(fieldWidth).maxFrameLength(maxFrameLength).build();
    }

    /**
     * Starts building a length-field framing: offset, width and byte order of the length
     * field, an adjustment for what the length counts, how much of the header the handler
     * sees, and the maximum frame length. See {@link LengthFieldFraming} for examples.
     *
     * @return a builder with the defaults of {@link LengthFieldFraming.Builder}
     */
    public static LengthFieldFraming.Builder lengthField() {
        return new LengthFieldFraming.Builder();
    }

    /**
     * Raw bytes, no framing: each read's bytes are handed to the handler as one frame (see
     * {@link RawFramer}); what a proxy or tunnel forwards. Nothing is buffered between reads, so
     * its {@link #maxFrameBytes()} is 1: a frame is as long as a read ({@code readBufferSize}).
     *
     * @return the framing
     */
    public static Framing raw() {
        return RAW;
    }

    private static final Framing RAW = new Custom(RawFramer::new, 1, "raw");

    /**
     * A user-written framing: see {@link Framer} for the contract and an example.
     *
     * @param factory makes one framer per connection
     * @param maxFrameBytes bound on the bytes one frame occupies, delimiter or header included
     * @return the framing
     */
    public static Framing custom(Supplier<? extends Framer> factory, int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        return new Custom(factory, maxFrameBytes, "custom");
    }

    private static final class Custom extends Framing {
        private final Supplier<? extends Framer> factory;
        private final int maxFrameBytes;
        private final String description;

        Custom(Supplier<? extends Framer> factory, int maxFrameBytes, String description) {
            this.factory = factory;
            this.maxFrameBytes = maxFrameBytes;
            this.description = description;
        }

        @Override
        public Framer newFramer() {
            return factory.get();
        }

        @Override
        public int maxFrameBytes() {
            return maxFrameBytes;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}

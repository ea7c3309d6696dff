// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The framer of a {@link LengthFieldFraming}: reads the length field once the header is
 * buffered, checks the declared length against the limits at once (so an oversized frame is
 * refused before its body is buffered), then waits for the whole frame. The field is assembled
 * byte by byte in the configured order, whatever the order of the buffer.
 */
public final class LengthFieldFramer extends Framer {
    private final int fieldOffset;
    private final int fieldWidth;
    private final boolean bigEndian;
    private final int header;
    private final int stripBytes;
    private final int maxFrameLength;
    /** {@code maxFrameLength - lengthAdjustment - header}: the largest acceptable field value. */
    private final long maxFieldValue;
    private final int lengthAdjustment;
    /** Bytes of the frame in progress, once its header was read; -1 before. */
    private int frameLength = -1;

    /** @param framing the settings */
    public LengthFieldFramer(LengthFieldFraming framing) {
        this.fieldOffset = framing.fieldOffset();
        this.fieldWidth = framing.fieldWidth();
        this.bigEndian = framing.byteOrder() == ByteOrder.BIG_ENDIAN;
        this.header = framing.headerLength();
        this.stripBytes = framing.stripBytes();
        this.maxFrameLength = framing.maxFrameLength();
        this.lengthAdjustment = framing.lengthAdjustment();
        this.maxFieldValue = (long) maxFrameLength - lengthAdjustment - header;
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) throws FramingException {
        int length = frameLength;
        if (length < 0) {
            if (to - from < header) {
                return NEED_MORE;
            }
            length = frameLength(buf, from + fieldOffset);
            frameLength = length;
        }
        if (to - from < length) {
            return NEED_MORE;
        }
        frameLength = -1;
        int end = from + length;
        return frame(from + stripBytes, end, end);
    }

    /** Reads the field at {@code at} and returns the frame's total length, or throws. */
    private int frameLength(ByteBuffer buf, int at) throws FramingException {
        long value = 0;
        if (bigEndian) {
            for (int k = 0; k < fieldWidth; k++) {
                value = (value << 8) | (buf.get(at + k) & 0xFF);
            }
        } else {
            for (int k = fieldWidth - 1; k >= 0; k--) {
                value = (value << 8) | (buf.get(at + k) & 0xFF);
            }
        }
        // value < 0 only for an 8-byte field over Long.MAX_VALUE (read as unsigned). Comparing
        // the value, not the adjusted sum, keeps the arithmetic from overflowing.
        if (value < 0 || value > maxFieldValue) {
            throw tooLong(value);
        }
        long length = value + lengthAdjustment + header;
        if (length < header) {
            throw new FramingException("negative frame length: length field " + value
                    + " + adjustment " + lengthAdjustment + " < 0");
        }
        if (length < stripBytes) {
            throw new FramingException("frame of " + length + " bytes is shorter than the "
                    + stripBytes + " bytes to strip");
        }
        return (int) length;
    }

    private FrameTooLongException tooLong(long value) {
        String field = Long.toUnsignedString(value);
        String detail;
        if (value < 0 || value > (long) Integer.MAX_VALUE - lengthAdjustment - header) {
            detail = " (over 2^31-1 bytes)";
        } else {
            detail = " (a frame of " + (value + lengthAdjustment + header) + " bytes)";
        }
        return new FrameTooLongException(maxFrameLength, "frame too long: length field " + field
                + detail + ", max " + maxFrameLength + " bytes");
    }

    @Override
    public String toString() {
        return "LengthFieldFramer[offset=" + fieldOffset + ", width=" + fieldWidth + ", "
                + (bigEndian ? "big" : "little") + "-endian, adjustment=" + lengthAdjustment
                + ", strip=" + stripBytes + ", max=" + maxFrameLength + "]";
    }
}

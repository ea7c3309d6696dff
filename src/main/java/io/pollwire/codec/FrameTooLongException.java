// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

/** A frame is longer than its framing allows; thrown before the excess is buffered. */
public class FrameTooLongException extends FramingException {
    private static final long serialVersionUID = 1L;

    /** The limit that was exceeded, in bytes. */
    private final long maxLength;

    /**
     * @param what the kind of frame, e.g. {@code "line"} or {@code "frame"}
     * @param maxLength the limit that was exceeded
     */
    public FrameTooLongException(String what, long maxLength) {
        super(what + " too long (max " + maxLength + " bytes)");
        this.maxLength = maxLength;
    }

    /**
     * For framers that know more than the limit, e.g. the length a header declared.
     *
     * @param maxLength the limit that was exceeded
     * @param message the whole message, e.g. {@code frame too long: length field says 70000 (max 65536 bytes)}
     */
    public FrameTooLongException(long maxLength, String message) {
        super(message);
        this.maxLength = maxLength;
    }

    /** @return the limit that was exceeded, in bytes */
    public long maxLength() {
        return maxLength;
    }
}

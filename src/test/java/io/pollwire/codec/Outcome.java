// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What decoding a whole stream produced: the frames in order, then either the bytes of an
 * unfinished frame left at the end, or the framing error that stopped decoding.
 */
public final class Outcome {
    /** One frame: the content the handler sees and the raw bytes it occupied in the stream. */
    public static final class Frame {
        public final byte[] content;
        public final byte[] raw;

        Frame(byte[] content, byte[] raw) {
            this.content = content;
            this.raw = raw;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame && Arrays.equals(content, ((Frame) o).content)
                    && Arrays.equals(raw, ((Frame) o).raw);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content) * 31 + Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return "Frame[content=" + show(content) + ", raw=" + show(raw) + "]";
        }
    }

    public final List<Frame> frames = new ArrayList<>();
    /** Null unless decoding stopped with a framing error. */
    public Class<? extends FramingException> error;
    public String errorMessage;
    /** The exception itself, when a framer threw it (references only name the class). */
    public FramingException exception;
    /** Bytes after the last frame when the stream ended without an error. */
    public byte[] partial = new byte[0];

    Outcome frame(byte[] stream, int contentStart, int contentEnd, int start, int next) {
        frames.add(new Frame(Arrays.copyOfRange(stream, contentStart, contentEnd),
                Arrays.copyOfRange(stream, start, next)));
        return this;
    }

    Outcome fail(Class<? extends FramingException> type) {
        this.error = type;
        return this;
    }

    Outcome partial(byte[] stream, int from) {
        this.partial = Arrays.copyOfRange(stream, from, stream.length);
        return this;
    }

    /** @return null when equal, else where the two first differ */
    public static String difference(Outcome expected, Outcome actual) {
        int n = Math.min(expected.frames.size(), actual.frames.size());
        for (int i = 0; i < n; i++) {
            if (!expected.frames.get(i).equals(actual.frames.get(i))) {
                return "frame " + i + ": expected " + expected.frames.get(i) + " but was " + actual.frames.get(i);
            }
        }
        if (expected.frames.size() != actual.frames.size()) {
            return "expected " + expected.frames.size() + " frames but got " + actual.frames.size()
                    + (expected.frames.size() > n ? "; next expected " + expected.frames.get(n)
                    : "; next got " + actual.frames.get(n)) + "; expected end " + expected.end()
                    + ", actual end " + actual.end();
        }
        if (expected.error != actual.error || (expected.errorMessage != null
                && !expected.errorMessage.equals(actual.errorMessage))) {
            return "after " + n + " frames: expected " + expected.end() + " but was " + actual.end();
        }
        if (expected.error == null && !Arrays.equals(expected.partial, actual.partial)) {
            return "after " + n + " frames: expected " + expected.end() + " but was " + actual.end();
        }
        return null;
    }

    String end() {
        return error != null ? "error " + error.getSimpleName() + (errorMessage == null ? "" : " (" + errorMessage + ")")
                : "partial " + show(partial);
    }

    public static String show(byte[] b) {
        if (b.length > 48) {
            return b.length + " bytes " + show(Arrays.copyOf(b, 24)) + "...";
        }
        boolean text = true;
        for (byte x : b) {
            text &= x >= 0x20 && x < 0x7F;
        }
        if (text) {
            return '"' + new String(b, StandardCharsets.US_ASCII) + '"';
        }
        StringBuilder sb = new StringBuilder("0x");
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return frames.size() + " frames, then " + end();
    }
}

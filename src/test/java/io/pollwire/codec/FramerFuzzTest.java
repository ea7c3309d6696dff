// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Differential fuzzing: each framer against its {@link Reference} on the fuzzer's stream, split
 * in every way {@link FramerCheck} knows. The first bytes of an input choose the framing's
 * settings, the rest is the stream, so the corpus files are readable (see
 * {@code src/test/resources/io/pollwire/codec/FramerFuzzTestInputs/<method>/}).
 *
 * <p>{@code ./mvnw verify} runs these over the corpus (regression mode); {@code
 * .ci/fuzz-smoke.sh} fuzzes each for a few seconds ({@code JAZZER_FUZZ=1}).
 */
class FramerFuzzTest {
    static final String REPLAY = "fuzz input (a finding is saved under src/test/resources/io/pollwire/codec/"
            + "FramerFuzzTestInputs/<method>/ and replays in ./mvnw verify)";

    /** byte 0: length - 1 (1..64); the rest: the stream. */
    @FuzzTest(maxDuration = "20s")
    void fixedLength(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int n = 1 + (data[0] & 0x3F);
        FramerCheck.check(REPLAY, seedOf(data), Framing.fixedLength(n), Reference.fixedLength(n), rest(data, 1));
    }

    /** byte 0: max content (0..127); the rest: the stream. */
    @FuzzTest(maxDuration = "20s")
    void lines(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int max = Math.max(1, data[0] & 0x7F);
        FramerCheck.check(REPLAY, seedOf(data), Framing.lines(max), Reference.lines(max), rest(data, 1));
    }

    /** byte 0: delimiter length - 1 (low 2 bits) and max content (high 6 bits); then the delimiter, then the stream. */
    @FuzzTest(maxDuration = "20s")
    void delimiter(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int length = 1 + (data[0] & 3);
        int max = (data[0] & 0xFF) >>> 2;
        if (data.length < 1 + length) {
            return;
        }
        byte[] delimiter = Arrays.copyOfRange(data, 1, 1 + length);
        FramerCheck.check(REPLAY, seedOf(data), Framing.delimiter(delimiter, max),
                Reference.delimiter(delimiter, max), rest(data, 1 + length));
    }

    /**
     * byte 0: field offset (bits 0-1), field width - 1 (bits 2-4), little-endian (bit 5), strip
     * mode (bits 6-7: header, none, byte 3); byte 1: length adjustment (signed); byte 2: max
     * frame length beyond the header; byte 3: bytes to strip; the rest: the stream.
     */
    @FuzzTest(maxDuration = "20s")
    void lengthField(byte[] data) {
        if (data.length < 4) {
            return;
        }
        int offset = data[0] & 3;
        int width = 1 + ((data[0] >>> 2) & 7);
        int header = offset + width;
        LengthFieldFraming.Builder b = Framing.lengthField()
                .fieldOffset(offset)
                .fieldWidth(width)
                .byteOrder((data[0] & 0x20) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                .lengthAdjustment(data[1])
                .maxFrameLength(header + (data[2] & 0xFF));
        int mode = (data[0] >>> 6) & 3;
        if (mode == 1) {
            b.keepHeader();
        } else if (mode >= 2) {
            b.stripBytes(Math.min(data[3] & 0xFF, header + (data[2] & 0xFF)));
        }
        LengthFieldFraming f = b.build();
        FramerCheck.check(REPLAY, seedOf(data), f, Reference.lengthField(f), rest(data, 4));
    }

    private static byte[] rest(byte[] data, int from) {
        return Arrays.copyOfRange(data, from, data.length);
    }

    /** The split sizes derive from the input, so a finding replays the same way. */
    private static long seedOf(byte[] data) {
        return Arrays.hashCode(data);
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static io.pollwire.codec.Decode.contents;
import static io.pollwire.codec.Decode.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The custom framer of {@link Framer}'s Javadoc, copied verbatim: it must compile, and it must
 * behave like the built-in delimiter framing with a zero byte.
 */
class CustomFramerExampleTest {
    // ---- verbatim from the Framer Javadoc ----
    static final class ZeroTerminated extends Framer {
        private final int max;
        private int scanned;             // bytes of the partial frame known to hold no 0

        ZeroTerminated(int max) { this.max = max; }

        public int next(ByteBuffer buf, int from, int to) throws FramingException {
            for (int i = from + scanned; i < to; i++) {
                if (buf.get(i) == 0) {
                    scanned = 0;
                    return frame(from, i, i + 1);    // content [from, i), next frame at i + 1
                }
                if (i - from >= max) {
                    throw new FrameTooLongException("record", max);
                }
            }
            scanned = to - from;
            return NEED_MORE;
        }
    }
    Framing records = Framing.custom(() -> new ZeroTerminated(4096), 4097);
    // ---- end of the Javadoc example ----

    @Test
    void theExampleFramesZeroTerminatedRecords() {
        Outcome o = decode(records, Decode.ascii("ab\0\0cd\0ef"), 1);
        assertEquals(List.of("ab", "", "cd"), contents(o));
        assertEquals("ef", new String(o.partial, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void theExampleIsInTheJavadoc() throws Exception {
        String source = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Paths.get("src/main/java/io/pollwire/codec/Framer.java")),
                java.nio.charset.StandardCharsets.UTF_8);
        for (String line : new String[] {
            "final class ZeroTerminated extends Framer {",
            "public int next(ByteBuffer buf, int from, int to) throws FramingException {",
            "return frame(from, i, i + 1);    // content [from, i), next frame at i + 1",
            "throw new FrameTooLongException(\"record\", max);",
            "Framing records = Framing.custom(() -> new ZeroTerminated(4096), 4097);",
        }) {
            assertEquals(true, source.contains(line), "Framer Javadoc no longer shows: " + line);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.pollwire.codec.Seeds#seeds")
    void behavesLikeTheDelimiterReference(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int max = 4096;
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            s.writeBytes(Decode.randomBytes(r, r.nextInt(6) == 0 ? max + r.nextInt(2) : r.nextInt(200),
                    new byte[] {'a', 'b', 1}));
            s.write(0);
        }
        FramerCheck.check(getClass(), seed, records, Reference.delimiter(new byte[] {0}, max), s.toByteArray());
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LineFramerTest {
    /**
     * Feeds {@code input} in chunks the way the event loop does: unconsumed bytes stay
     * contiguous and are moved to index 0 before each new chunk is appended.
     */
    static List<String> feed(Framer framer, byte[] input, int[] chunkSizes, ByteOrder order) throws FramingException {
        ByteBuffer buf = ByteBuffer.allocate(input.length + 16).order(order);
        List<String> out = new ArrayList<>();
        int end = 0;
        int pos = 0;
        int k = 0;
        int fed = 0;
        while (fed < input.length) {
            int n = Math.min(chunkSizes[k++ % chunkSizes.length], input.length - fed);
            // move the partial frame to the front, as PartialFrame.keep + ConnectionInput.read do
            byte[] rest = new byte[end - pos];
            buf.get(pos, rest);
            buf.put(0, rest);
            end = rest.length;
            pos = 0;
            buf.put(end, input, fed, n);
            end += n;
            fed += n;
            int next;
            while ((next = framer.next(buf, pos, end)) >= 0) {
                byte[] frame = new byte[framer.frameEnd() - framer.frameStart()];
                buf.get(framer.frameStart(), frame);
                out.add(new String(frame, StandardCharsets.ISO_8859_1));
                pos = next;
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void coalescedSplitAndByteByByteGiveTheSameFrames() throws Exception {
        byte[] in = bytes("abc\ndef\r\n\nlonger line with spaces\r\nx\n");
        List<String> expected = List.of("abc", "def", "", "longer line with spaces", "x");
        assertEquals(expected, feed(new LineFramer(100), in, new int[] {in.length}, ByteOrder.LITTLE_ENDIAN));
        assertEquals(expected, feed(new LineFramer(100), in, new int[] {1}, ByteOrder.LITTLE_ENDIAN));
        assertEquals(expected, feed(new LineFramer(100), in, new int[] {3, 7, 2}, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void lineAtTheLimitIsAcceptedWithOrWithoutCr() throws Exception {
        String max = "y".repeat(8);
        assertEquals(List.of(max, max), feed(new LineFramer(8), bytes(max + "\n" + max + "\r\n"), new int[] {1},
                ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void oneByteOverTheLimitFailsAsSoonAsItIsSeen() {
        FrameTooLongException e = assertThrows(FrameTooLongException.class,
                () -> feed(new LineFramer(8), bytes("123456789"), new int[] {1}, ByteOrder.LITTLE_ENDIAN));
        assertEquals("line too long (max 8 bytes)", e.getMessage());
        assertEquals(8, e.maxLength());
        assertThrows(FrameTooLongException.class,
                () -> feed(new LineFramer(8), bytes("123456789\n"), new int[] {100}, ByteOrder.LITTLE_ENDIAN));
        assertThrows(FrameTooLongException.class,
                () -> feed(new LineFramer(8), bytes("12345678\r\r\n"), new int[] {1}, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void overlongLineBetweenShortOnesIsCaughtWhenAllArriveInOneRead() throws Exception {
        byte[] in = bytes("a\n" + "x".repeat(11) + "\nb\n");
        LineFramer f = new LineFramer(10);
        FrameBatch batch = new FrameBatch(64);
        ByteBuffer buf = ByteBuffer.allocateDirect(in.length).order(ByteOrder.LITTLE_ENDIAN).put(in);
        batch.clear(0);
        int next = f.nextBatch(buf, 0, in.length, batch);
        assertEquals(1, batch.count(), "the valid line before the long one is delivered first");
        assertEquals(2, next);
        batch.clear(next);
        assertThrows(FrameTooLongException.class, () -> f.nextBatch(buf, 2, in.length, batch));
    }

    @Test
    void aReadOfValidLinesIsOneRangeListedOnlyOnDemand() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("line ").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
        }
        sb.append("partial");
        byte[] in = bytes(sb.toString());
        ByteBuffer buf = ByteBuffer.allocateDirect(in.length).order(ByteOrder.LITTLE_ENDIAN).put(in);
        // the limit exceeds the whole read, so the first and last newline prove every line valid
        LineFramer f = new LineFramer(65536);
        FrameBatch batch = new FrameBatch(16); // far fewer than the lines: a range is not bounded by it
        batch.clear(0);
        int next = f.nextBatch(buf, 0, in.length, batch);
        assertEquals(in.length - "partial".length(), next);
        assertEquals(next, batch.streamEnd());
        assertEquals(0, batch.streamStart());
        assertEquals(0, batch.listedCount(), "the range is not listed until asked");
        assertEquals(5000, batch.count(), "listing the range finds every line");
        assertEquals(5000, batch.listedCount(), "and then counts as listed");
        byte[] line = new byte[batch.end(4999) - batch.start(4999)];
        buf.get(batch.start(4999), line);
        assertEquals("line 4999", new String(line, StandardCharsets.ISO_8859_1));
        assertEquals(batch.next(4998), batch.streamStart(4999));
    }

    @Test
    void crAloneIsContent() throws Exception {
        assertEquals(List.of("a\rb"), feed(new LineFramer(10), bytes("a\rb\n"), new int[] {2}, ByteOrder.LITTLE_ENDIAN));
    }

    static List<Long> seeds() {
        String fixed = System.getProperty("pollwire.test.seed");
        return fixed != null ? List.of(Long.parseLong(fixed)) : List.of(11L, 12L, 13L, 14L, new Random().nextLong());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void swarScanAgreesWithANaiveScan(long seed) {
        Random rnd = new Random(seed);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[rnd.nextInt(70)];
            for (int i = 0; i < b.length; i++) {
                // mostly bytes near '\n' and with the high bit set, where SWAR tricks go wrong
                int kind = rnd.nextInt(10);
                b[i] = (byte) (kind == 0 ? '\n' : kind < 4 ? 0x0A ^ (1 << rnd.nextInt(8)) : rnd.nextInt(256));
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.wrap(b), ByteBuffer.allocateDirect(b.length).put(b)}) {
                    buf.order(order);
                    int naive = -1;
                    for (int i = from; i < b.length; i++) {
                        if (b[i] == '\n') {
                            naive = i;
                            break;
                        }
                    }
                    assertEquals(naive, LineFramer.indexOfNewline(buf, from, b.length),
                            "seed " + seed + " round " + round + " (rerun with -Dpollwire.test.seed=" + seed + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStreamsSplitAnywhere(long seed) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String line = "z".repeat(rnd.nextInt(rnd.nextBoolean() ? 5 : 64));
            expected.add(line);
            sb.append(line).append(rnd.nextBoolean() ? "\n" : "\r\n");
        }
        int[] chunks = new int[32];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 200);
        }
        assertEquals(expected, feed(new LineFramer(64), bytes(sb.toString()), chunks, ByteOrder.LITTLE_ENDIAN),
                "seed " + seed);
    }

    @Test
    void customFramerFromTheJavadocExampleWorks() throws Exception {
        final class ZeroTerminated extends Framer {
            private final int max;
            private int scanned;

            ZeroTerminated(int max) {
                this.max = max;
            }

            @Override
            public int next(ByteBuffer buf, int from, int to) throws FramingException {
                for (int i = from + scanned; i < to; i++) {
                    if (buf.get(i) == 0) {
                        scanned = 0;
                        return frame(from, i, i + 1);
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
        assertEquals(4097, records.maxFrameBytes());
        assertEquals(List.of("ab", "", "c"), feed(records.newFramer(), bytes("ab\0\0c\0"), new int[] {1, 2},
                ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void framingValidatesItsLimit() {
        assertThrows(IllegalArgumentException.class, () -> Framing.lines(0));
        assertThrows(IllegalArgumentException.class, () -> Framing.custom(() -> new LineFramer(1), 0));
        assertEquals(Framing.DEFAULT_MAX_LINE + 2, Framing.lines().maxFrameBytes());
    }
}

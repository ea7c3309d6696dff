// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;

/**
 * Checks a framer against its reference on one stream, delivered whole, byte by byte, in
 * random reads, and in reads that end right around frame boundaries; in the loop's buffer
 * layout and in the hostile one.
 */
public final class FramerCheck {
    private FramerCheck() {}

    /** @throws AssertionError naming the seed, the framing, the split and the first difference */
    public static Outcome check(Class<?> test, long seed, Framing framing, Reference reference, byte[] stream) {
        return check(Seeds.rerun(test, seed), seed, framing, reference, stream);
    }

    /**
     * @param context how to reproduce a failure, leading its message
     * @param seed where the read sizes and the harness's junk come from
     */
    public static Outcome check(String context, long seed, Framing framing, Reference reference, byte[] stream) {
        Outcome expected = reference.decode(stream);
        Random random = new Random(seed * 31 + stream.length);
        int[][] splits = {
            {Integer.MAX_VALUE},
            {1},
            randomSizes(random, 1 + random.nextInt(16)),
            randomSizes(random, 1 + random.nextInt(300)),
            boundarySizes(expected, random),
        };
        String[] names = {"whole", "byte by byte", "random small reads", "random reads", "reads cut near frame boundaries"};
        for (int k = 0; k < splits.length; k++) {
            for (FramerHarness.Mode mode : FramerHarness.Mode.values()) {
                Outcome actual;
                try {
                    actual = FramerHarness.run(framing, mode, stream, splits[k], seed);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(context + ": " + framing + ", " + names[k] + ", "
                            + mode + " buffer: " + e + "\nstream: " + Outcome.show(stream), e);
                }
                String diff = Outcome.difference(expected, actual);
                if (diff != null) {
                    fail(context + ": " + framing + ", " + names[k] + " " + Arrays.toString(
                            Arrays.copyOf(splits[k], Math.min(8, splits[k].length))) + ", " + mode + " buffer: "
                            + diff + "\nstream: " + Outcome.show(stream));
                }
            }
        }
        return expected;
    }

    private static int[] randomSizes(Random random, int bound) {
        int[] sizes = new int[64];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 1 + random.nextInt(bound);
        }
        return sizes;
    }

    /** Reads ending one byte before, at, or one byte after each frame's end. */
    private static int[] boundarySizes(Outcome expected, Random random) {
        int n = expected.frames.size();
        if (n == 0) {
            return new int[] {1 + random.nextInt(7)};
        }
        int[] sizes = new int[n];
        int carry = 0;
        for (int i = 0; i < n; i++) {
            int len = expected.frames.get(i).raw.length + carry;
            int delta = random.nextInt(3) - 1;
            sizes[i] = Math.max(1, len + delta);
            carry = len - sizes[i];
        }
        return sizes;
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shorthands for the scenario tests. */
final class Decode {
    private Decode() {}

    /** Decodes in reads of the given sizes (cycled; none = all at once), loop buffer layout. */
    static Outcome decode(Framing framing, byte[] stream, int... readSizes) {
        return FramerHarness.run(framing, FramerHarness.Mode.LOOP, stream,
                readSizes.length == 0 ? new int[] {Integer.MAX_VALUE} : readSizes, 1);
    }

    static Outcome decode(Framing framing, String stream, int... readSizes) {
        return decode(framing, ascii(stream), readSizes);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return the frames' contents as ISO-8859-1 strings */
    static List<String> contents(Outcome o) {
        List<String> out = new ArrayList<>();
        for (Outcome.Frame f : o.frames) {
            out.add(new String(f.content, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** @return the frames' raw bytes as ISO-8859-1 strings */
    static List<String> raws(Outcome o) {
        List<String> out = new ArrayList<>();
        for (Outcome.Frame f : o.frames) {
            out.add(new String(f.raw, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Random bytes drawn from a small alphabet, so that delimiters and their prefixes are common. */
    static byte[] randomBytes(Random r, int n, byte[] alphabet) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return b;
    }

    static int pick(Random r, int... choices) {
        return choices[r.nextInt(choices.length)];
    }
}

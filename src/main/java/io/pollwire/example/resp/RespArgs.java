// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The arguments of one command, as offsets into a buffer: the frame itself for a RESP array
 * (nothing copied), or this object's scratch buffer for an inline command (unescaped into it).
 * One per connection, reused for every command: nothing is allocated per request.
 */
final class RespArgs {
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int count;
    private ByteBuffer buf;
    private byte[] scratch = new byte[64];
    private ByteBuffer scratchView = ByteBuffer.wrap(scratch);
    private int scratchLength;

    /** @return the buffer the arguments are in: read it with absolute indices only */
    ByteBuffer buf() {
        return buf;
    }

    int count() {
        return count;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    int length(int i) {
        return ends[i] - starts[i];
    }

    /**
     * Reads the arguments of a frame {@link RespFramer} accepted: a RESP array
     * ({@code *N\r\n$len\r\n...}) or an inline command line.
     *
     * @return the number of arguments (0 for an empty array or a blank line: no command)
     */
    int parse(ByteBuffer frame, int start, int end) {
        count = 0;
        if (start == end) {
            return 0;
        }
        if (frame.get(start) != '*') {
            InlineCommand.split(frame, start, end, this); // accepted by the framer: balanced
            buf = scratchView;
            return count;
        }
        buf = frame;
        int p = start + 1;
        int n = 0;
        for (byte b; (b = frame.get(p)) != '\r'; p++) {
            n = n * 10 + (b - '0');
        }
        p += 2;
        ensure(n);
        for (int i = 0; i < n; i++) {
            int len = 0;
            for (p++; frame.get(p) != '\r'; p++) {
                len = len * 10 + (frame.get(p) - '0');
            }
            p += 2;
            starts[i] = p;
            ends[i] = p + len;
            p += len + 2; // Redis does not check the CRLF after a bulk string either
        }
        count = n;
        return n;
    }

    private void ensure(int n) {
        if (n > starts.length) {
            int c = Math.max(n, starts.length * 2);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
        }
    }

    void beginInline(int maxBytes) {
        count = 0;
        scratchLength = 0;
        if (scratch.length < maxBytes) {
            scratch = new byte[Math.max(maxBytes, scratch.length * 2)];
            scratchView = ByteBuffer.wrap(scratch);
        }
    }

    void beginInlineArg() {
        ensure(count + 1);
        starts[count] = scratchLength;
    }

    void appendInline(byte b) {
        scratch[scratchLength++] = b;
    }

    void endInlineArg() {
        ends[count++] = scratchLength;
    }
}

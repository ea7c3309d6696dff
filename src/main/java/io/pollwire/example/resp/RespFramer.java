// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.codec.Framer;
import io.pollwire.codec.FramingException;
import java.nio.ByteBuffer;

/**
 * Cuts a Redis client's byte stream into commands, the way Redis's {@code processMultibulkBuffer}
 * and {@code processInlineBuffer} (networking.c) do, as a pollwire {@link Framer}.
 *
 * <p>A frame is one whole command. A RESP array ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) is
 * handed over whole, header included, and {@link RespArgs} reads its arguments in place; an
 * array of length 0 or less is an empty frame (Redis ignores it). Anything not starting with
 * {@code *} is an inline command: one line up to {@code \n} (a {@code \r} before it is dropped),
 * checked for balanced quotes here and split by {@link InlineCommand}.
 *
 * <p>Protocol errors throw a {@link RespProtocolException} whose message is Redis's text, e.g.
 * {@code Protocol error: invalid bulk length}; the handler answers {@code -ERR <message>} and
 * the connection is closed, as Redis does. Limits: an array of more than {@code maxArgs}
 * elements or a bulk string over {@code maxBulk} bytes is refused as soon as its header arrives;
 * a header line or inline command over 64 KiB without its line end too (Redis's
 * {@code PROTO_INLINE_MAX_SIZE}); a command over {@code maxRequest} bytes in all ends the
 * connection without a reply (Redis does that at {@code client-query-buffer-limit}).
 *
 * <p>Incremental: progress is kept relative to the frame's start, so a command arriving one
 * byte at a time is scanned once. Allocation-free, except the exception that ends a connection.
 */
final class RespFramer extends Framer {
    /** Redis's {@code PROTO_INLINE_MAX_SIZE}: a header line or inline command without a line end. */
    static final int MAX_INLINE = 64 * 1024;

    private final int maxArgs;
    private final long maxBulk;
    private final int maxRequest;

    // progress through the partial frame, relative to its start
    private int offset;     // where parsing resumes
    private int argsLeft = -1; // bulk strings still expected, -1 before the array header
    private long bulkLength = -1; // length of the bulk string whose header was read, or -1
    private int scanned;    // bytes after offset known to hold no line end

    /**
     * @param maxArgs the most elements of one array
     * @param maxBulk the longest bulk string
     * @param maxRequest the most bytes one command may take, at least {@link #MAX_INLINE} + 2
     */
    RespFramer(int maxArgs, long maxBulk, int maxRequest) {
        this.maxArgs = maxArgs;
        this.maxBulk = maxBulk;
        this.maxRequest = maxRequest;
    }

    @Override
    public int next(ByteBuffer buf, int from, int to) throws FramingException {
        if (from >= to) {
            return NEED_MORE;
        }
        try {
            return buf.get(from) == '*' ? array(buf, from, to) : inline(buf, from, to);
        } catch (RespProtocolException e) {
            // Framers are deterministic: nextBatch delivers the frames before an error and
            // calls again at the same place, which must fail the same way from a clean state.
            done(from, from, from);
            throw e;
        }
    }

    private int inline(ByteBuffer buf, int from, int to) throws FramingException {
        int lf = find(buf, from + scanned, to, (byte) '\n');
        if (lf < 0) {
            scanned = to - from;
            if (to - from > MAX_INLINE) {
                throw new RespProtocolException("Protocol error: too big inline request");
            }
            return NEED_MORE;
        }
        scanned = 0;
        int end = lf > from && buf.get(lf - 1) == '\r' ? lf - 1 : lf;
        if (InlineCommand.split(buf, from, end, null) < 0) {
            throw new RespProtocolException("Protocol error: unbalanced quotes in request");
        }
        return frame(from, end, lf + 1);
    }

    private int array(ByteBuffer buf, int from, int to) throws FramingException {
        int p = from + offset;
        if (argsLeft < 0) {
            int cr = line(buf, p, to, "Protocol error: too big mbulk count string");
            if (cr < 0) {
                return NEED_MORE;
            }
            if (!RespNumbers.isLong(buf, p + 1, cr) || RespNumbers.parse(buf, p + 1, cr) > maxArgs) {
                throw new RespProtocolException("Protocol error: invalid multibulk length");
            }
            long n = RespNumbers.parse(buf, p + 1, cr);
            p = cr + 2;
            if (n <= 0) {
                return done(from, from, p);
            }
            argsLeft = (int) n;
        }
        while (argsLeft > 0) {
            if (bulkLength < 0) {
                int cr = line(buf, p, to, "Protocol error: too big bulk count string");
                if (cr < 0) {
                    return needMore(from, p, to);
                }
                if (buf.get(p) != '$') {
                    char got = (char) (buf.get(p) & 0xFF);
                    throw new RespProtocolException("Protocol error: expected '$', got '"
                            + (got == '\r' || got == '\n' ? ' ' : got) + "'");
                }
                if (!RespNumbers.isLong(buf, p + 1, cr) || RespNumbers.parse(buf, p + 1, cr) < 0
                        || RespNumbers.parse(buf, p + 1, cr) > maxBulk) {
                    throw new RespProtocolException("Protocol error: invalid bulk length");
                }
                bulkLength = RespNumbers.parse(buf, p + 1, cr);
                p = cr + 2;
                if (p - from + bulkLength + 2 > maxRequest) {
                    throw RespProtocolException.silent("request over " + maxRequest + " bytes");
                }
            }
            if (to - p < bulkLength + 2) {
                return needMore(from, p, to);
            }
            p += (int) bulkLength + 2; // Redis skips the CRLF after the data without checking it
            bulkLength = -1;
            argsLeft--;
        }
        return done(from, p, p);
    }

    /**
     * @return the index of the {@code \r} ending the header line at {@code p}, once the byte
     *     after it has arrived too (Redis does not check that it is {@code \n}); or -1
     */
    private int line(ByteBuffer buf, int p, int to, String tooBig) throws RespProtocolException {
        int cr = find(buf, p + scanned, to, (byte) '\r');
        if (cr < 0) {
            scanned = to - p;
            if (to - p > MAX_INLINE) {
                throw new RespProtocolException(tooBig);
            }
            return -1;
        }
        scanned = cr - p;
        if (cr + 1 >= to) {
            return -1;
        }
        scanned = 0;
        return cr;
    }

    private int needMore(int from, int p, int to) throws RespProtocolException {
        offset = p - from;
        if (to - from > maxRequest) {
            throw RespProtocolException.silent("request over " + maxRequest + " bytes");
        }
        return NEED_MORE;
    }

    private int done(int from, int end, int next) {
        offset = 0;
        argsLeft = -1;
        bulkLength = -1;
        scanned = 0;
        return frame(from, end, next);
    }

    private static int find(ByteBuffer buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf.get(i) == b) {
                return i;
            }
        }
        return -1;
    }
}

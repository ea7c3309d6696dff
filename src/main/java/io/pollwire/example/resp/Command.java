// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The commands the example answers, with Redis 7's arity (positive: exactly that many
 * arguments, the name included; negative: at least that many) and its error reply for a wrong
 * count, prepared once.
 */
enum Command {
    GET(2), SET(-3), DEL(-2), EXISTS(-2), INCR(2), DECR(2), INCRBY(3), DECRBY(3), MGET(-2), MSET(-3),
    FLUSHALL(-1), DBSIZE(1), PING(-1), ECHO(2), QUIT(-1), HELLO(-1),
    /** A container: CONFIG GET. */
    CONFIG(-2),
    /** A container: COMMAND, COMMAND COUNT, COMMAND DOCS. */
    COMMAND(-1);

    private static final Command[] ALL = values();

    final int arity;
    final byte[] upperName;
    final byte[] arityError;

    Command(int arity) {
        this.arity = arity;
        this.upperName = name().getBytes(StandardCharsets.US_ASCII);
        this.arityError = RespReplies.arity(name().toLowerCase(java.util.Locale.ROOT));
    }

    /** @return the command named by {@code buf[start, end)} in any case, or null */
    static Command find(ByteBuffer buf, int start, int end) {
        int n = end - start;
        if (n < 3 || n > 8) {
            return null;
        }
        int first = buf.get(start) & 0xDF;
        for (Command c : ALL) {
            if (c.upperName.length == n && c.upperName[0] == first && is(buf, start, end, c.upperName)) {
                return c;
            }
        }
        return null;
    }

    /** @return true when {@code buf[start, end)} spells {@code upper} (letters only) in any case */
    static boolean is(ByteBuffer buf, int start, int end, byte[] upper) {
        if (end - start != upper.length) {
            return false;
        }
        for (int i = 0; i < upper.length; i++) {
            if ((buf.get(start + i) & 0xDF) != upper[i]) {
                return false;
            }
        }
        return true;
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Replies in RESP2, byte for byte as redis-server 7 sends them: the fixed ones prepared once,
 * the others written from the request's bytes or the store's without allocating; only error
 * texts quoting the request (unknown command, syntax error in HELLO) build a string.
 */
final class RespReplies {
    static final byte[] OK = ascii("+OK\r\n");
    static final byte[] PONG = ascii("+PONG\r\n");
    static final byte[] NULL = ascii("$-1\r\n");
    static final byte[] ZERO = ascii(":0\r\n");
    static final byte[] ONE = ascii(":1\r\n");
    static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    static final byte[] SYNTAX = ascii("-ERR syntax error\r\n");
    static final byte[] NOT_INTEGER = ascii("-ERR value is not an integer or out of range\r\n");
    static final byte[] OVERFLOW = ascii("-ERR increment or decrement would overflow\r\n");
    static final byte[] DECRBY_MIN = ascii("-ERR decrement would overflow\r\n");
    static final byte[] EXPIRE_TIME = ascii("-ERR invalid expire time in 'set' command\r\n");
    static final byte[] NOPROTO = ascii("-NOPROTO unsupported protocol version\r\n");
    static final byte[] PROTO_NOT_INTEGER = ascii("-ERR Protocol version is not an integer or out of range\r\n");
    static final byte[] CRLF = ascii("\r\n");

    private RespReplies() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** @return {@code -ERR wrong number of arguments for '<name>' command} */
    static byte[] arity(String name) {
        return ascii("-ERR wrong number of arguments for '" + name + "' command\r\n");
    }

    /** Writes {@code prefix<value>\r\n}, e.g. {@code :42\r\n} or {@code *3\r\n}. */
    static void number(Connection c, byte prefix, long value, byte[] scratch) {
        c.write(scratch, 0, RespNumbers.format(prefix, value, scratch));
    }

    /** Writes argument {@code i} as a bulk string, straight from the request's bytes. */
    static void bulk(Connection c, RespArgs a, int i, byte[] scratch) {
        number(c, (byte) '$', a.length(i), scratch);
        ByteBuffer buf = a.buf();
        int limit = buf.limit();
        int position = buf.position();
        buf.limit(a.end(i)).position(a.start(i));
        c.write(buf);
        buf.limit(limit).position(position);
        c.write(CRLF);
    }

    /** Writes a bulk string of ASCII text. */
    static void bulk(Connection c, String s, byte[] scratch) {
        number(c, (byte) '$', s.length(), scratch);
        c.write(ascii(s + "\r\n"));
    }

    /**
     * {@code -ERR unknown command '<name>', with args beginning with: '<arg>' ...}: Redis's
     * {@code commandCheckExistence}, with its limits of 128 characters.
     */
    static byte[] unknownCommand(RespArgs a) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < a.count() && args.length() < 128; i++) {
            int max = 128 - args.length(); // Redis: "'%.*s' " with 128 - sdslen(args) as precision
            args.append('\'');
            cString(args, a, i, max);
            args.append("' ");
        }
        StringBuilder s = new StringBuilder("unknown command '");
        cString(s, a, 0, 128);
        return error(s.append("', with args beginning with: ").append(args));
    }

    /** {@code -ERR unknown subcommand '<sub>'. Try <COMMAND> HELP.} */
    static byte[] unknownSubcommand(RespArgs a) {
        StringBuilder command = new StringBuilder();
        cString(command, a, 0, Integer.MAX_VALUE);
        StringBuilder s = new StringBuilder("unknown subcommand '");
        cString(s, a, 1, 128);
        return error(s.append("'. Try ").append(command.toString().toUpperCase(java.util.Locale.ROOT))
                .append(" HELP."));
    }

    /** {@code -ERR Syntax error in HELLO option '<opt>'} */
    static byte[] helloSyntax(RespArgs a, int i) {
        StringBuilder s = new StringBuilder("Syntax error in HELLO option '");
        cString(s, a, i, Integer.MAX_VALUE);
        return error(s.append('\''));
    }

    /** Redis's addReplyErrorFormat: {@code -ERR }, CR and LF turned into spaces, CRLF. */
    private static byte[] error(StringBuilder message) {
        String m = "-ERR " + message.toString().replace('\r', ' ').replace('\n', ' ') + "\r\n";
        return ascii(m);
    }

    /** Appends argument {@code i} as C's {@code %.Ns} prints it: up to a NUL, at most {@code max}. */
    private static void cString(StringBuilder out, RespArgs a, int i, int max) {
        ByteBuffer buf = a.buf();
        for (int p = a.start(i), n = 0; p < a.end(i) && n < max; p++, n++) {
            byte b = buf.get(p);
            if (b == 0) {
                break;
            }
            out.append((char) (b & 0xFF));
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.Connection;
import java.nio.ByteBuffer;

/**
 * The commands about the connection and the server: PING, ECHO, QUIT, and what
 * {@code redis-benchmark} and {@code redis-cli} send when they connect.
 *
 * <ul>
 *   <li>{@code CONFIG GET name...}: {@code save} is {@code ""} and {@code appendonly} is
 *       {@code no} (nothing is persisted), as redis-server started with
 *       {@code --save '' --appendonly no} answers; other names match nothing (no globs), so
 *       the reply is an empty array. Other CONFIG subcommands are unknown subcommands.
 *   <li>{@code COMMAND DOCS}: an empty array (no documentation: redis-cli then shows no hints);
 *       {@code COMMAND COUNT}: the number of commands here; {@code COMMAND}: an empty array.
 *   <li>{@code HELLO [2]}: the RESP2 map Redis 7 sends, with {@code server} {@code pollwire}
 *       and {@code version} {@code 7.0.0} (the Redis protocol level it follows);
 *       {@code HELLO 3} is refused with {@code -NOPROTO}, as Redis refuses versions it does not
 *       speak; AUTH and SETNAME options are refused as syntax errors.
 * </ul>
 */
final class ServerCommands {
    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] DOCS = {'D', 'O', 'C', 'S'};
    private static final byte[] COUNT = {'C', 'O', 'U', 'N', 'T'};
    private static final byte[] SAVE = {'S', 'A', 'V', 'E'};
    private static final byte[] APPENDONLY = {'A', 'P', 'P', 'E', 'N', 'D', 'O', 'N', 'L', 'Y'};
    private static final byte[] SAVE_REPLY = RespReplies.ascii("$4\r\nsave\r\n$0\r\n\r\n");
    private static final byte[] APPENDONLY_REPLY = RespReplies.ascii("$10\r\nappendonly\r\n$2\r\nno\r\n");
    private static final byte[] CONFIG_GET_ARITY = RespReplies.arity("config|get");
    private static final byte[] COMMAND_COUNT_ARITY = RespReplies.arity("command|count");
    private static final byte[] HELLO_HEAD = RespReplies.ascii("*14\r\n$6\r\nserver\r\n$8\r\npollwire\r\n"
            + "$7\r\nversion\r\n$5\r\n7.0.0\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n");
    private static final byte[] HELLO_TAIL = RespReplies.ascii("$4\r\nmode\r\n$10\r\nstandalone\r\n"
            + "$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");

    void execute(Command cmd, Connection c, RespArgs a, byte[] scratch) {
        switch (cmd) {
            case PING:
                if (a.count() > 2) {
                    c.write(cmd.arityError);
                } else if (a.count() == 2) {
                    RespReplies.bulk(c, a, 1, scratch);
                } else {
                    c.write(RespReplies.PONG);
                }
                break;
            case ECHO:
                RespReplies.bulk(c, a, 1, scratch);
                break;
            case QUIT:
                c.write(RespReplies.OK);
                c.close();
                break;
            case CONFIG:
                config(c, a, scratch);
                break;
            case COMMAND:
                command(c, a, scratch);
                break;
            case HELLO:
                hello(c, a, scratch);
                break;
            default:
                throw new IllegalStateException("not a server command: " + cmd);
        }
    }

    private static void config(Connection c, RespArgs a, byte[] scratch) {
        ByteBuffer buf = a.buf();
        if (!Command.is(buf, a.start(1), a.end(1), GET)) {
            c.write(RespReplies.unknownSubcommand(a));
            return;
        }
        if (a.count() < 3) {
            c.write(CONFIG_GET_ARITY);
            return;
        }
        boolean save = false;
        boolean appendOnly = false;
        for (int i = 2; i < a.count(); i++) {
            save |= Command.is(buf, a.start(i), a.end(i), SAVE);
            appendOnly |= Command.is(buf, a.start(i), a.end(i), APPENDONLY);
        }
        RespReplies.number(c, (byte) '*', (save ? 2 : 0) + (appendOnly ? 2 : 0), scratch);
        if (save) {
            c.write(SAVE_REPLY);
        }
        if (appendOnly) {
            c.write(APPENDONLY_REPLY);
        }
    }

    private static void command(Connection c, RespArgs a, byte[] scratch) {
        ByteBuffer buf = a.buf();
        if (a.count() == 1 || Command.is(buf, a.start(1), a.end(1), DOCS)) {
            c.write(RespReplies.EMPTY_ARRAY);
        } else if (Command.is(buf, a.start(1), a.end(1), COUNT)) {
            if (a.count() != 2) {
                c.write(COMMAND_COUNT_ARITY);
            } else {
                RespReplies.number(c, (byte) ':', Command.values().length, scratch);
            }
        } else {
            c.write(RespReplies.unknownSubcommand(a));
        }
    }

    private static void hello(Connection c, RespArgs a, byte[] scratch) {
        ByteBuffer buf = a.buf();
        if (a.count() >= 2) {
            if (!RespNumbers.isLong(buf, a.start(1), a.end(1))) {
                c.write(RespReplies.PROTO_NOT_INTEGER);
                return;
            }
            long version = RespNumbers.parse(buf, a.start(1), a.end(1));
            if (version != 2) {
                c.write(RespReplies.NOPROTO);
                return;
            }
            if (a.count() > 2) {
                c.write(RespReplies.helloSyntax(a, 2));
                return;
            }
        }
        c.write(HELLO_HEAD);
        RespReplies.number(c, (byte) ':', c.id(), scratch);
        c.write(HELLO_TAIL);
    }
}

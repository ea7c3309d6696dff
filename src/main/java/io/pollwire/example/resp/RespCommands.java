// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.Connection;
import java.nio.ByteBuffer;

/**
 * Runs one command: finds it by name (case-insensitive, without allocating), checks its arity
 * as Redis's {@code commandCheckArity} does, and runs it against the {@link RespStore}. The key
 * space commands are here; the connection and server commands in {@link ServerCommands}.
 *
 * <p>Redis's semantics, for strings only: SET with NX, XX, GET, KEEPTTL, EX, PX, EXAT, PXAT
 * (parsed as {@code parseExtendedStringArgumentsOrReply} does); INCR/DECR/INCRBY/DECRBY on
 * 64-bit integers, keeping the key's TTL; DEL and EXISTS count each key given, repeats
 * included; MGET answers nil for missing keys.
 */
final class RespCommands {
    private final RespStore store;
    private final ServerCommands server;

    RespCommands(RespStore store, ServerCommands server) {
        this.store = store;
        this.server = server;
    }

    /** Runs the command in {@code a} (at least one argument), writing its reply to {@code c}. */
    void execute(Connection c, RespArgs a, byte[] scratch, long now) {
        Command cmd = Command.find(a.buf(), a.start(0), a.end(0));
        if (cmd == null) {
            c.write(RespReplies.unknownCommand(a));
            return;
        }
        int argc = a.count();
        if (cmd.arity > 0 ? argc != cmd.arity : argc < -cmd.arity) {
            c.write(cmd.arityError);
            return;
        }
        switch (cmd) {
            case GET: get(c, a, now); break;
            case SET: set(c, a, scratch, now); break;
            case DEL: delOrExists(c, a, scratch, now, true); break;
            case EXISTS: delOrExists(c, a, scratch, now, false); break;
            case INCR: incrBy(c, a, 1, scratch, now); break;
            case DECR: incrBy(c, a, -1, scratch, now); break;
            case INCRBY:
            case DECRBY:
                if (!RespNumbers.isLong(a.buf(), a.start(2), a.end(2))) {
                    c.write(RespReplies.NOT_INTEGER);
                } else {
                    long by = RespNumbers.parse(a.buf(), a.start(2), a.end(2));
                    if (cmd == Command.DECRBY && by == Long.MIN_VALUE) {
                        c.write(RespReplies.DECRBY_MIN);
                    } else {
                        incrBy(c, a, cmd == Command.DECRBY ? -by : by, scratch, now);
                    }
                }
                break;
            case MGET: mget(c, a, scratch, now); break;
            case MSET: mset(c, a, now); break;
            case FLUSHALL: flushAll(c, a); break;
            case DBSIZE: dbSize(c, scratch); break;
            default: server.execute(cmd, c, a, scratch); break;
        }
    }

    private void get(Connection c, RespArgs a, long now) {
        ByteBuffer buf = a.buf();
        int h = KeyTable.hash(buf, a.start(1), a.end(1));
        store.lock(h);
        try {
            KeyTable t = store.table(h);
            int i = t.find(buf, a.start(1), a.end(1), h, now);
            writeValue(c, t, i);
        } finally {
            store.unlock(h);
        }
    }

    /** Writes slot {@code i}'s value as stored (a ready bulk string), or nil when {@code i < 0}. */
    private static void writeValue(Connection c, KeyTable t, int i) {
        if (i < 0) {
            c.write(RespReplies.NULL);
        } else {
            byte[] e = t.entry(i);
            int v = t.valueStart(i);
            c.write(e, v, e.length - v);
        }
    }

    private static final int NX = 1, XX = 2, GET = 4, KEEPTTL = 8, EX = 16, PX = 32, EXAT = 64, PXAT = 128;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    private void set(Connection c, RespArgs a, byte[] scratch, long now) {
        ByteBuffer buf = a.buf();
        int flags = 0;
        int expireArg = -1;
        for (int j = 3; j < a.count(); j++) {
            int s = a.start(j);
            int n = a.length(j);
            boolean next = j < a.count() - 1;
            int opt = n == 2 ? upper(buf, s) << 8 | upper(buf, s + 1) : 0;
            if (opt == ('N' << 8 | 'X') && (flags & XX) == 0) {
                flags |= NX;
            } else if (opt == ('X' << 8 | 'X') && (flags & NX) == 0) {
                flags |= XX;
            } else if (Command.is(buf, s, a.end(j), Command.GET.upperName)) {
                flags |= GET;
            } else if (Command.is(buf, s, a.end(j), KEEPTTL_NAME) && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if (next && (flags & KEEPTTL) == 0 && expireOption(buf, s, a.end(j)) != 0
                    && (flags & ANY_EXPIRE & ~expireOption(buf, s, a.end(j))) == 0) {
                flags |= expireOption(buf, s, a.end(j));
                expireArg = ++j;
            } else {
                c.write(RespReplies.SYNTAX);
                return;
            }
        }
        long expiry = (flags & KEEPTTL) != 0 ? -1 : 0;
        if (expireArg > 0) {
            if (!RespNumbers.isLong(buf, a.start(expireArg), a.end(expireArg))) {
                c.write(RespReplies.NOT_INTEGER);
                return;
            }
            long ms = RespNumbers.parse(buf, a.start(expireArg), a.end(expireArg));
            boolean seconds = (flags & (EX | EXAT)) != 0;
            if (ms <= 0 || (seconds && ms > Long.MAX_VALUE / 1000)) {
                c.write(RespReplies.EXPIRE_TIME);
                return;
            }
            if (seconds) {
                ms *= 1000;
            }
            if ((flags & (EX | PX)) != 0) {
                ms += now;
            }
            if (ms <= 0) { // overflowed
                c.write(RespReplies.EXPIRE_TIME);
                return;
            }
            expiry = ms;
        }
        int ks = a.start(1);
        int ke = a.end(1);
        int h = KeyTable.hash(buf, ks, ke);
        store.lock(h);
        try {
            KeyTable t = store.table(h);
            int i = t.find(buf, ks, ke, h, now);
            if ((flags & GET) != 0) {
                writeValue(c, t, i);
            }
            if ((flags & NX) != 0 && i >= 0 || (flags & XX) != 0 && i < 0) {
                if ((flags & GET) == 0) {
                    c.write(RespReplies.NULL);
                }
                return;
            }
            t.put(i, buf, ks, ke, h, buf, a.start(2), a.end(2), expiry);
        } finally {
            store.unlock(h);
        }
        if ((flags & GET) == 0) {
            c.write(RespReplies.OK);
        }
    }

    private static final byte[] KEEPTTL_NAME = {'K', 'E', 'E', 'P', 'T', 'T', 'L'};
    private static final byte[] EXAT_NAME = {'E', 'X', 'A', 'T'};
    private static final byte[] PXAT_NAME = {'P', 'X', 'A', 'T'};

    private static int expireOption(ByteBuffer buf, int s, int e) {
        if (e - s == 2) {
            int o = upper(buf, s) << 8 | upper(buf, s + 1);
            return o == ('E' << 8 | 'X') ? EX : o == ('P' << 8 | 'X') ? PX : 0;
        }
        return Command.is(buf, s, e, EXAT_NAME) ? EXAT : Command.is(buf, s, e, PXAT_NAME) ? PXAT : 0;
    }

    private static int upper(ByteBuffer buf, int i) {
        int b = buf.get(i) & 0xFF;
        return b >= 'a' && b <= 'z' ? b - 32 : b;
    }

    private void delOrExists(Connection c, RespArgs a, byte[] scratch, long now, boolean delete) {
        ByteBuffer buf = a.buf();
        long n = 0;
        boolean all = a.count() > 2;
        if (all) {
            store.lockAll();
        }
        try {
            for (int j = 1; j < a.count(); j++) {
                int h = KeyTable.hash(buf, a.start(j), a.end(j));
                if (!all) {
                    store.lock(h);
                }
                try {
                    KeyTable t = store.table(h);
                    int i = t.find(buf, a.start(j), a.end(j), h, now);
                    if (i >= 0) {
                        n++;
                        if (delete) {
                            t.delete(i);
                        }
                    }
                } finally {
                    if (!all) {
                        store.unlock(h);
                    }
                }
            }
        } finally {
            if (all) {
                store.unlockAll();
            }
        }
        RespReplies.number(c, (byte) ':', n, scratch);
    }

    private void incrBy(Connection c, RespArgs a, long by, byte[] scratch, long now) {
        ByteBuffer buf = a.buf();
        int ks = a.start(1);
        int ke = a.end(1);
        int h = KeyTable.hash(buf, ks, ke);
        long value;
        store.lock(h);
        try {
            KeyTable t = store.table(h);
            int i = t.find(buf, ks, ke, h, now);
            long old = 0;
            if (i >= 0) {
                byte[] e = t.entry(i);
                ByteBuffer stored = ByteBuffer.wrap(e);
                int start = headLength(e, t.valueStart(i));
                if (!RespNumbers.isLong(stored, start, e.length - 2)) {
                    c.write(RespReplies.NOT_INTEGER);
                    return;
                }
                old = RespNumbers.parse(stored, start, e.length - 2);
            }
            value = old + by;
            if (((old ^ value) & (by ^ value)) < 0) {
                c.write(RespReplies.OVERFLOW);
                return;
            }
            if (i < 0) {
                int n = RespNumbers.format((byte) ':', value, scratch);
                t.put(-1, buf, ks, ke, h, ByteBuffer.wrap(scratch), 1, n - 2, 0);
            } else {
                t.putLong(i, value);
            }
        } finally {
            store.unlock(h);
        }
        RespReplies.number(c, (byte) ':', value, scratch);
    }

    /** @return where the data of the bulk string at {@code at} starts, after {@code $<len>\r\n} */
    private static int headLength(byte[] e, int at) {
        int i = at + 1;
        while (e[i] != '\r') {
            i++;
        }
        return i + 2;
    }

    private void mget(Connection c, RespArgs a, byte[] scratch, long now) {
        ByteBuffer buf = a.buf();
        RespReplies.number(c, (byte) '*', a.count() - 1, scratch);
        store.lockAll();
        try {
            for (int j = 1; j < a.count(); j++) {
                int h = KeyTable.hash(buf, a.start(j), a.end(j));
                KeyTable t = store.table(h);
                int i = t.find(buf, a.start(j), a.end(j), h, now);
                writeValue(c, t, i);
            }
        } finally {
            store.unlockAll();
        }
    }

    private void mset(Connection c, RespArgs a, long now) {
        if (a.count() % 2 == 0) {
            c.write(Command.MSET.arityError);
            return;
        }
        ByteBuffer buf = a.buf();
        store.lockAll();
        try {
            for (int j = 1; j < a.count(); j += 2) {
                int h = KeyTable.hash(buf, a.start(j), a.end(j));
                KeyTable t = store.table(h);
                int i = t.find(buf, a.start(j), a.end(j), h, now);
                t.put(i, buf, a.start(j), a.end(j), h, buf, a.start(j + 1), a.end(j + 1), 0);
            }
        } finally {
            store.unlockAll();
        }
        c.write(RespReplies.OK);
    }

    private static final byte[] ASYNC = {'A', 'S', 'Y', 'N', 'C'};
    private static final byte[] SYNC = {'S', 'Y', 'N', 'C'};

    private void flushAll(Connection c, RespArgs a) {
        if (a.count() > 2 || a.count() == 2 && !Command.is(a.buf(), a.start(1), a.end(1), ASYNC)
                && !Command.is(a.buf(), a.start(1), a.end(1), SYNC)) {
            c.write(RespReplies.SYNTAX);
            return;
        }
        store.lockAll();
        try {
            store.clear();
        } finally {
            store.unlockAll();
        }
        c.write(RespReplies.OK);
    }

    private void dbSize(Connection c, byte[] scratch) {
        long n;
        store.lockAll();
        try {
            n = store.size();
        } finally {
            store.unlockAll();
        }
        RespReplies.number(c, (byte) ':', n, scratch);
    }
}

// SPDX-License-Identifier: Apache-2.0
/**
 * A RESP (Redis protocol) example server, written against pollwire's public API only: a
 * {@link io.pollwire.codec.Framer} that cuts RESP2 arrays and inline commands
 * ({@code RespFramer}), a handler that answers them from an in-memory key space, byte for byte
 * as redis-server 7 does ({@code RespCommands}).
 *
 * <p>Commands: PING, ECHO, QUIT, SET (NX, XX, GET, KEEPTTL, EX, PX, EXAT, PXAT), GET, DEL,
 * EXISTS, INCR, INCRBY, DECR, DECRBY, MGET, MSET, FLUSHALL, DBSIZE, and what
 * {@code redis-benchmark} and {@code redis-cli} send on connect: CONFIG GET, COMMAND DOCS,
 * COMMAND COUNT, HELLO (RESP2 only). Strings only, nothing persisted, no authentication, no
 * other types, transactions, pub/sub, scripting or replication. {@code docs/resp-example.md}
 * says more.
 *
 * <p>The store: one table without locks for one event loop (every command on one thread, as
 * in Redis); for several loops 64 tables sharded by key hash, each behind a lock, multi-key
 * commands taking all of them. Expiry is lazy, plus a bounded sweep every 100 ms on a loop timer.
 */
package io.pollwire.example.resp;

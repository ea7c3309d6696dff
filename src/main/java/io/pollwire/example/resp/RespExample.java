// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;

/**
 * The RESP (Redis protocol) example server's parts, to plug into a {@link io.pollwire.Server}:
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .bind("127.0.0.1", 6379)
 *         .loops(1)
 *         .framing(RespExample.framing(RespExample.DEFAULT_MAX_ARGS, RespExample.DEFAULT_MAX_BULK))
 *         .handler(RespExample.handler(1))
 *         .start();
 * // redis-cli -p 6379 SET k v; redis-cli -p 6379 GET k  ->  "v"
 * }</pre>
 *
 * <p>Or from the jar: {@code java -jar pollwire.jar redis --port 6379}. An example of the API,
 * not a Redis replacement: strings only, nothing persisted; see the package documentation.
 */
public final class RespExample {
    /**
     * Default longest bulk string: 1 MiB. Redis's {@code proto-max-bulk-len} is 512 MB, but a
     * pollwire framer sees a whole command in one buffer, which the loop sizes by the framing's
     * bound, so the default is lower; raise it with {@code --max-bulk}.
     */
    public static final int DEFAULT_MAX_BULK = 1024 * 1024;
    /** Default most elements of one command array: 1 Mi. */
    public static final int DEFAULT_MAX_ARGS = 1024 * 1024;

    private RespExample() {}

    /**
     * @param maxArgs larger arrays get {@code -ERR Protocol error: invalid multibulk length}
     * @param maxBulk longer bulk strings get {@code -ERR Protocol error: invalid bulk length}
     * @return one {@link RespFramer} per connection; a whole command may take
     *     {@link #maxRequestBytes(int)}
     */
    public static Framing framing(int maxArgs, int maxBulk) {
        if (maxArgs < 1 || maxBulk < 0 || maxBulk > 512 * 1024 * 1024) {
            throw new IllegalArgumentException("need maxArgs >= 1 and maxBulk in 0..512 MiB: " + maxArgs + ", "
                    + maxBulk);
        }
        int maxRequest = maxRequestBytes(maxBulk);
        return Framing.custom(() -> new RespFramer(maxArgs, maxBulk, maxRequest), maxRequest);
    }

    /**
     * @param maxBulk the longest bulk string
     * @return the most bytes one command may take: {@code maxBulk} plus 64 KiB for the other
     *     arguments and the headers (a larger one closes the connection without a reply)
     */
    public static int maxRequestBytes(int maxBulk) {
        return maxBulk + RespFramer.MAX_INLINE + 1024;
    }

    /**
     * @param loops the server's number of event loops: with 1 the store has no locks; with more,
     *     it is sharded over 64 locked tables (see the package documentation for the cost)
     * @return a new handler with its own, empty, store
     */
    public static ConnectionHandler handler(int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException("loops must be positive: " + loops);
        }
        return new RespHandler(new RespStore(loops > 1));
    }
}

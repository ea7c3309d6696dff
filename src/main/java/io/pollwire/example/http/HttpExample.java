// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import io.pollwire.ConnectionHandler;
import io.pollwire.codec.Framing;

/**
 * The HTTP/1.1 example server's parts, to plug into a {@link io.pollwire.Server}:
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .bind("127.0.0.1", 8080)
 *         .framing(HttpExample.framing(HttpExample.DEFAULT_MAX_HEAD, HttpExample.DEFAULT_MAX_BODY))
 *         .handler(HttpExample.handler())
 *         .start();
 * // curl http://127.0.0.1:8080/plaintext  ->  Hello, World!
 * }</pre>
 *
 * <p>Or from the jar: {@code java -jar pollwire.jar http --port 8080}. An example of the framer
 * SPI, not a full HTTP stack: see the package documentation for what it leaves out.
 */
public final class HttpExample {
    /** Default limit of a request head (request line, headers, empty line): 8 KiB. */
    public static final int DEFAULT_MAX_HEAD = 8 * 1024;
    /** Default limit of a request body: 1 MiB. */
    public static final int DEFAULT_MAX_BODY = 1024 * 1024;

    private HttpExample() {}

    /**
     * @param maxHeadBytes larger heads are refused with 431
     * @param maxBodyBytes larger bodies are refused with 413 (when their head arrives)
     * @return one {@link HttpRequestFramer} per connection
     */
    public static Framing framing(int maxHeadBytes, int maxBodyBytes) {
        if (maxHeadBytes < 16 || maxBodyBytes < 0 || (long) maxHeadBytes + maxBodyBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("need maxHeadBytes >= 16, maxBodyBytes >= 0, sum < 2 GiB: "
                    + maxHeadBytes + ", " + maxBodyBytes);
        }
        return Framing.custom(() -> new HttpRequestFramer(maxHeadBytes, maxBodyBytes), maxHeadBytes + maxBodyBytes);
    }

    /** @return a new handler (it may serve any number of connections and loops) */
    public static ConnectionHandler handler() {
        return new HttpExampleHandler();
    }
}

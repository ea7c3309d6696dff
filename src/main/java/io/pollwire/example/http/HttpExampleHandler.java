// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.codec.FramingException;
import java.nio.ByteBuffer;

/**
 * The example server's routes, given whole requests by {@link HttpRequestFramer}:
 *
 * <ul>
 *   <li>{@code GET /plaintext} (and {@code HEAD}): {@code Hello, World!} as {@code text/plain},
 *       the TechEmpower plaintext response (Server, Content-Type, Content-Length, Date);
 *   <li>{@code POST /echo}: the request body back, as {@code application/octet-stream};
 *   <li>any other method on those paths: 405; any other path: 404.
 * </ul>
 *
 * <p>Responses of pipelined requests go out in order, batched into one write per read by the
 * event loop. After a response to a request that does not keep the connection alive
 * ({@code Connection: close}, or HTTP/1.0 without {@code keep-alive}) the connection is closed
 * once the response is sent, and requests pipelined behind it are ignored. A request the
 * framer refuses gets its error status and the connection is closed.
 *
 * <p>Per request it parses the head again into a per-connection {@link HttpRequestHead} (the
 * framer parsed it too, but a handler sees only the frame's bytes), then writes bytes prepared
 * once per second by {@link HttpResponses}: nothing is allocated.
 */
public final class HttpExampleHandler implements ConnectionHandler {
    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] HEAD = {'H', 'E', 'A', 'D'};
    private static final byte[] POST = {'P', 'O', 'S', 'T'};
    private static final byte[] PLAINTEXT = {'/', 'p', 'l', 'a', 'i', 'n', 't', 'e', 'x', 't'};
    private static final byte[] ECHO = {'/', 'e', 'c', 'h', 'o'};

    private final HttpResponses responses = new HttpResponses();

    /** What one connection reuses for each of its requests. */
    private static final class PerConnection {
        final HttpRequestHead head = new HttpRequestHead();
        final byte[] responseHead = new byte[256];
    }

    @Override
    public void onOpen(Connection connection) {
        connection.attach(new PerConnection());
    }

    @Override
    public void onFrame(Connection connection, ByteBuffer request) throws HttpException {
        PerConnection state = connection.attachment();
        HttpRequestHead h = state.head;
        int start = request.position();
        int end = request.limit();
        // The framer accepted these bytes, so this cannot throw; if it did, onError closes.
        HttpRequestParser.parseHead(request, start, end, Long.MAX_VALUE, h);
        int variant = !h.keepAlive ? HttpResponses.CLOSE
                : h.minorVersion == 0 ? HttpResponses.KEEP_ALIVE_EXPLICIT : HttpResponses.KEEP_ALIVE_DEFAULT;
        HttpResponses.Snapshot r = responses.now();
        if (h.pathIs(request, PLAINTEXT)) {
            if (h.methodIs(request, GET)) {
                connection.write(r.plaintext[variant]);
            } else if (h.methodIs(request, HEAD)) {
                connection.write(r.plaintextHead[variant]);
            } else {
                connection.write(r.getHeadOnly[variant]);
            }
        } else if (h.pathIs(request, ECHO)) {
            if (h.methodIs(request, POST)) {
                int n = HttpResponses.okHead(state.responseHead, r.date, "application/octet-stream",
                        end - h.headEnd, variant);
                connection.write(state.responseHead, 0, n);
                request.position(h.headEnd);
                connection.write(request);
            } else {
                connection.write(r.postOnly[variant]);
            }
        } else {
            connection.write(r.notFound[variant]);
        }
        if (!h.keepAlive) {
            connection.close();
        }
    }

    /** The framer refused the request: answer its status; the loop then closes the connection. */
    @Override
    public void onFramingError(Connection connection, FramingException error) {
        int status = error instanceof HttpException ? ((HttpException) error).status() : 400;
        connection.write(responses.now().error(status));
    }
}

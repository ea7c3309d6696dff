// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import java.io.IOException;
import java.net.SocketAddress;

/** A bound, listening, non-blocking server socket (TCP or Unix domain) of some transport. */
public abstract class NetListener implements Pollable {
    /**
     * Accepts one pending connection, already non-blocking and close-on-exec.
     *
     * @return the socket, or null when none is pending
     * @throws IOException when accept failed; {@link #isTransient(IOException)} tells the errors
     *     of one aborted connection from those (out of descriptors or memory) to back off from
     */
    public abstract NetSocket accept() throws IOException;

    /**
     * @return the bound address (with the real port when port 0 was asked for), an
     *     {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
     */
    public abstract SocketAddress localAddress();

    /**
     * Closes the listener: new connection attempts are refused from now on; a Unix domain
     * listener also removes its socket file (if it is still the one it created). Idempotent.
     */
    public abstract void close();

    /** @return true for errors about one aborted connection (ECONNABORTED, EPROTO...): go on */
    public abstract boolean isTransient(IOException error);
}

package io.pollwire.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A bound, listening, non-blocking server socket of some transport. */
public abstract class NetListener implements Pollable {
    /**
     * Accepts one pending connection, already non-blocking and close-on-exec.
     *
     * @return the socket, or null when none is pending
     * @throws IOException when accept failed; see {@link #isResourceExhausted(IOException)} and
     *     {@link #isTransient(IOException)} for the errors a server must survive
     */
    public abstract NetSocket accept() throws IOException;

    /** @return the bound address (with the real port when port 0 was asked for) */
    public abstract InetSocketAddress localAddress();

    /** Closes the listener: new connection attempts are refused from now on. Idempotent. */
    public abstract void close();

    /** @return true for EMFILE/ENFILE/ENOBUFS/ENOMEM: out of descriptors or memory; back off */
    public abstract boolean isResourceExhausted(IOException error);

    /** @return true for errors about one aborted connection (ECONNABORTED, EPROTO...): go on */
    public abstract boolean isTransient(IOException error);
}

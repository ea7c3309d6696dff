package io.pollwire.loop;

import io.pollwire.ConnectionHandler;
import io.pollwire.IdleStrategy;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;

/** Settings every event loop of one server shares; immutable. Built by {@code Server.Builder}. */
public final class LoopConfig {
    final Transport transport;
    final Framing framing;
    final ConnectionHandler handler;
    final int readBufferSize;
    final long highWatermark;
    final long lowWatermark;
    final long idleTimeoutNanos;
    final int maxConnections;
    final boolean tcpNoDelay;
    final IdleStrategy idleStrategy;
    final int maxEventsPerPoll;
    final String threadNamePrefix;
    final boolean daemon;
    final boolean listenerPerLoop;

    /**
     * @param transport a concrete transport (not AUTO)
     * @param idleTimeoutNanos 0 for none
     * @param maxConnections 0 for unlimited
     * @param listenerPerLoop every loop accepts on its own SO_REUSEPORT listener and keeps what
     *     it accepts
     */
    public LoopConfig(Transport transport, Framing framing, ConnectionHandler handler,
            int readBufferSize, long highWatermark, long lowWatermark, long idleTimeoutNanos,
            int maxConnections, boolean tcpNoDelay, IdleStrategy idleStrategy,
            int maxEventsPerPoll, String threadNamePrefix, boolean daemon, boolean listenerPerLoop) {
        this.transport = transport;
        this.framing = framing;
        this.handler = handler;
        this.readBufferSize = readBufferSize;
        this.highWatermark = highWatermark;
        this.lowWatermark = lowWatermark;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.maxConnections = maxConnections;
        this.tcpNoDelay = tcpNoDelay;
        this.idleStrategy = idleStrategy;
        this.maxEventsPerPoll = maxEventsPerPoll;
        this.threadNamePrefix = threadNamePrefix;
        this.daemon = daemon;
        this.listenerPerLoop = listenerPerLoop;
    }
}

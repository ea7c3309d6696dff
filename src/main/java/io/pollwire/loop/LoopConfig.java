// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.ConnectionHandler;
import io.pollwire.IdleStrategy;
import io.pollwire.SocketOptions;
import io.pollwire.Transport;
import io.pollwire.codec.Framing;

/**
 * Settings every event loop of one server shares; immutable. Built by {@code Server.Builder},
 * which checks the values.
 *
 * @param framing how input is cut into frames
 * @param handler the application callbacks
 * @param readBufferSize bytes one read asks the kernel for
 * @param highWatermark queued output bytes above which a connection stops being read
 * @param lowWatermark queued output bytes at or below which reading resumes
 * @param idleTimeoutNanos close connections with no traffic for this long; 0 for never
 * @param maxConnections connections open at once over all loops; 0 for unlimited
 * @param socketOptions options of every socket, accepted or outbound
 * @param idleStrategy what an idle loop does
 * @param threadNamePrefix loop threads are named {@code <prefix>-loop-<n>}
 * @param daemon make the loop threads daemon threads
 * @param listenerPerLoop every loop accepts on its own SO_REUSEPORT listener and keeps what it
 *     accepts
 * @param allowHalfClosure the peer's FIN leaves our output open until the application closes
 * @param maxDeferredReplies outstanding deferred replies per connection at which reading pauses
 * @param maxBufferedBytes the server-wide {@link MemoryBudget} for partial frames and queued
 *     output, bytes; 0 for {@link DirectMemory#defaultBudget()}
 * @param connectTimeoutNanos outbound connects made from handlers fail after this long; 0 never
 */
public record LoopConfig(Framing framing, ConnectionHandler handler, int readBufferSize,
        long highWatermark, long lowWatermark, long idleTimeoutNanos, int maxConnections,
        SocketOptions socketOptions, IdleStrategy idleStrategy, String threadNamePrefix, boolean daemon,
        boolean listenerPerLoop, boolean allowHalfClosure, int maxDeferredReplies, long maxBufferedBytes,
        long connectTimeoutNanos) {}

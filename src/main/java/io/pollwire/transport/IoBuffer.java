// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.transport.unix.NativeSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A direct buffer together with its native address, so that the native transports can pass
 * {@code address + offset} to the kernel without asking the JVM for the address per call.
 *
 * <p>Positions and limits of {@link #buffer()} are not used by pollwire's I/O calls: those take
 * explicit offsets, so one buffer can be read by the handler while the loop tracks its own
 * indices. The byte order is little-endian, which the line scanner relies on.
 */
public final class IoBuffer {
    private final ByteBuffer buffer;
    private final long address;
    private ByteBuffer[] views;
    /** Scratch counter of {@link WriteBatch#nioBuffers()}. */
    int uses;

    private IoBuffer(ByteBuffer buffer, long address) {
        this.buffer = buffer;
        this.address = address;
    }

    /**
     * Allocates a direct buffer; its address is known when the native library is loaded
     * (0 otherwise, when only NIO will touch it).
     *
     * @param capacity size in bytes
     * @return the buffer
     */
    public static IoBuffer allocate(int capacity) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        long address = NativeLibrary.isLoaded() ? NativeSocket.address(buffer) : 0L;
        return new IoBuffer(buffer, address);
    }

    /** @return the backing direct buffer (little-endian) */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the native address of byte 0, or 0 when the native library is not loaded */
    public long address() {
        return address;
    }

    /**
     * @param k 0 for the buffer itself, else the k-th extra view of the same memory (made on
     *     first use and kept), for NIO writes that need several positions in one buffer
     * @return the view
     */
    ByteBuffer view(int k) {
        if (k == 0) {
            return buffer;
        }
        if (views == null || views.length < k) {
            ByteBuffer[] grown = new ByteBuffer[Math.max(k, views == null ? 4 : views.length * 2)];
            if (views != null) {
                System.arraycopy(views, 0, grown, 0, views.length);
            }
            views = grown;
        }
        ByteBuffer v = views[k - 1];
        if (v == null) {
            v = buffer.duplicate().order(buffer.order());
            views[k - 1] = v;
        }
        return v;
    }

    /** @return the capacity in bytes */
    public int capacity() {
        return buffer.capacity();
    }
}

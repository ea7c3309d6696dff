package io.pollwire.transport;

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

    /** @return the capacity in bytes */
    public int capacity() {
        return buffer.capacity();
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.transport.IoBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes a connection keeps after its last complete frame (a partial frame) between reads, so
 * that the framer always sees one contiguous range, like the cumulation of Netty's
 * {@code ByteToMessageDecoder} kept apart from the channel; in memory proportional to them:
 * whatever a peer announces (a length field saying "1 GiB follows", a line limit of 64 KiB),
 * the server holds at most about twice what the peer really sent, plus {@link #MIN_ROOM}.
 *
 * <ul>
 *   <li>Up to {@link #STASH_MAX} bytes: a small heap array (power of two from 64 bytes), copied
 *       to the front of the loop's shared input buffer before each read, so the framer sees one
 *       contiguous range. Cheap for the usual case, a line split across two reads.
 *   <li>Longer: a direct buffer of this connection, which reads append to (a peer dripping a
 *       long frame costs no copy per read). It starts at the power of two that holds the bytes
 *       plus {@link #MIN_ROOM} (8 KiB at least) and doubles whenever less than
 *       {@link #MIN_ROOM} is free before a read, up to the framing's
 *       {@code maxFrameBytes + MIN_ROOM}. When frames complete, what is left moves back to the
 *       stash (the buffer is dropped) or to a smaller buffer when it fills a quarter or less.
 * </ul>
 *
 * <p>Every byte of capacity is reserved in the server's {@link MemoryBudget} before it is
 * allocated and given back when dropped. A reservation the budget refuses, or an allocation
 * that throws {@link OutOfMemoryError}, makes {@link #beforeRead} / {@link #keep} report
 * failure: the connection is then shed ({@link #failure()} tells which), never the loop.
 *
 * <p>Single-threaded: the connection's loop.
 */
final class PartialFrame {
    /** Partial frames up to this size stay in the heap stash. */
    static final int STASH_MAX = 4096;
    /** A read into the connection's own buffer gets at least this much room. */
    static final int MIN_ROOM = 2048;
    /** Smallest own buffer. */
    static final int MIN_BUFFER = 8192;
    /** A stash this small is kept when the partial frame completes, for the next one. */
    static final int STASH_KEPT = 1024;

    private final MemoryBudget budget;
    private final int maxFrameBytes;
    private final int maxCapacity;
    private byte[] stash;
    private int stashLength;
    private IoBuffer own;
    private ByteBuffer ownView;
    private int ownLength;
    /** Why the last {@link #beforeRead} or {@link #keep} failed: an OutOfMemoryError, or null. */
    private OutOfMemoryError failure;
    /** Bytes the last failed call asked for. */
    private long refused;

    /**
     * @param budget the server-wide budget to reserve capacity in
     * @param maxFrameBytes the framing's bound on a frame (the loop fails a connection whose
     *     partial frame passes it)
     */
    PartialFrame(MemoryBudget budget, int maxFrameBytes) {
        this.budget = budget;
        this.maxFrameBytes = maxFrameBytes;
        this.maxCapacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) maxFrameBytes + MIN_ROOM);
    }

    /** @return bytes kept */
    int length() {
        return own != null ? ownLength : stashLength;
    }

    /** @return the OutOfMemoryError behind the last failure, or null when the budget refused */
    OutOfMemoryError failure() {
        return failure;
    }

    /** @return bytes the last failed call wanted to reserve */
    long refusedBytes() {
        return refused;
    }

    /**
     * Readies the partial frame for a read: a stash is copied to the front of {@code shared};
     * an own buffer with less than {@link #MIN_ROOM} free is grown.
     *
     * @return where the read must put its bytes (in {@link #readBuffer}), or -1 when room
     *     could not be had: the connection must be shed
     */
    int beforeRead(IoBuffer shared) {
        if (own == null) {
            if (stashLength > 0) {
                shared.buffer().put(0, stash, 0, stashLength);
            }
            return stashLength;
        }
        int capacity = own.capacity();
        if (capacity - ownLength < MIN_ROOM && capacity < maxCapacity) {
            long grown = Math.min(maxCapacity, 2L * capacity);
            if (!moveOwn((int) grown)) {
                release();
                return -1;
            }
        }
        return ownLength;
    }

    /** @return the buffer the next read goes to: the connection's own, or {@code shared} */
    IoBuffer readBuffer(IoBuffer shared) {
        return own != null ? own : shared;
    }

    /** @return the read-only, little-endian view of {@code buffer} to hand to handlers */
    ByteBuffer viewOf(IoBuffer buffer, ByteBuffer sharedView) {
        return buffer == own ? ownView : sharedView;
    }

    /**
     * Keeps {@code input[pos, end)}, what follows the last complete frame, for the next read.
     *
     * @param input the buffer just processed (the shared one or the own one)
     * @param serving false once the connection stopped handling input: nothing is kept
     * @param framer named in the error
     * @return false when the memory for it could not be had: the connection must be shed
     * @throws IOException when the framer kept more than {@code maxFrameBytes} without a frame
     */
    boolean keepRest(IoBuffer input, int pos, int end, boolean serving, Object framer) throws IOException {
        int length = serving ? end - pos : 0;
        if (length == 0) {
            clear();
            return true;
        }
        if (length > maxFrameBytes) {
            throw new IOException("framer " + framer + " kept " + length
                    + " bytes without a frame, over its maxFrameBytes " + maxFrameBytes);
        }
        return keep(input, pos, length);
    }

    /**
     * Keeps {@code [pos, pos + length)} of {@code input} (the shared buffer or the own one,
     * after a read was processed) as the partial frame.
     *
     * @param length at least 1
     * @return false when the memory for it could not be had: the connection must be shed (the
     *     partial frame is then dropped)
     */
    boolean keep(IoBuffer input, int pos, int length) {
        if (input == own) {
            if (pos > 0) { // frames completed: move the new partial frame to the front, once
                ByteBuffer v = own.buffer().duplicate();
                v.limit(pos + length).position(pos);
                v.compact();
            }
            ownLength = length;
            if (length <= STASH_MAX && ensureStash(length)) {
                own.buffer().get(0, stash, 0, length);
                stashLength = length;
                dropOwn();
            } else if (own.capacity() >= 4L * sizeFor(length)) {
                moveOwn(sizeFor(length)); // shrink; on failure the bigger buffer simply stays
            }
            return true;
        }
        if (length > STASH_MAX) {
            if (!newOwn(sizeFor(length))) {
                release();
                return false;
            }
            own.buffer().put(0, input.buffer(), pos, length);
            ownLength = length;
            stashLength = 0;
            return true;
        }
        if (!ensureStash(length)) {
            release();
            return false;
        }
        input.buffer().get(pos, stash, 0, length);
        stashLength = length;
        return true;
    }

    /** Forgets the partial frame (it completed); keeps a small stash for the next one. */
    void clear() {
        stashLength = 0;
        dropOwn();
        if (stash != null && stash.length > STASH_KEPT) {
            budget.release(stash.length);
            stash = null;
        }
    }

    /** Forgets everything and gives all memory back (the connection closes or drains). */
    void release() {
        clear();
        if (stash != null) {
            budget.release(stash.length);
            stash = null;
        }
    }

    private int sizeFor(int length) {
        long want = Math.max(MIN_BUFFER, Long.highestOneBit((long) length + MIN_ROOM - 1) << 1);
        return (int) Math.min(maxCapacity, want);
    }

    private boolean ensureStash(int length) {
        if (stash != null && stash.length >= length) {
            return true;
        }
        int size = Math.max(64, Math.min(STASH_MAX, Integer.highestOneBit(length - 1) << 1));
        if (!budget.tryReserveSmall(size)) {
            refused(size, null);
            return false;
        }
        byte[] grown;
        try {
            grown = new byte[size];
        } catch (OutOfMemoryError e) {
            budget.release(size);
            refused(size, e);
            return false;
        }
        if (stash != null) {
            System.arraycopy(stash, 0, grown, 0, stashLength);
            budget.release(stash.length);
        }
        stash = grown;
        return true;
    }

    /** Allocates an own buffer of {@code capacity} (none is held). */
    private boolean newOwn(int capacity) {
        IoBuffer b = allocate(capacity);
        if (b == null) {
            return false;
        }
        setOwn(b);
        return true;
    }

    /** Replaces the own buffer by one of {@code capacity}, keeping the bytes. */
    private boolean moveOwn(int capacity) {
        IoBuffer b = allocate(capacity);
        if (b == null) {
            return false;
        }
        b.buffer().put(0, own.buffer(), 0, ownLength);
        budget.release(own.capacity());
        setOwn(b);
        return true;
    }

    private IoBuffer allocate(int capacity) {
        if (!budget.tryReserveLarge(capacity)) {
            refused(capacity, null);
            return null;
        }
        try {
            return IoBuffer.allocate(capacity);
        } catch (OutOfMemoryError e) {
            budget.release(capacity);
            refused(capacity, e);
            return null;
        }
    }

    private void setOwn(IoBuffer b) {
        own = b;
        ownView = b.buffer().asReadOnlyBuffer().order(b.buffer().order());
    }

    private void dropOwn() {
        if (own != null) {
            budget.release(own.capacity());
            own = null;
            ownView = null;
        }
        ownLength = 0;
    }

    private void refused(long bytes, OutOfMemoryError error) {
        refused = bytes;
        failure = error;
    }
}

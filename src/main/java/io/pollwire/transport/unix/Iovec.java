// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;

/** Layout of {@code struct iovec}, read from C, for gathering writes from Java-owned memory. */
public final class Iovec {
    static {
        NativeLibrary.ensureLoaded(); // whoever touches this class first, the library is there
    }

    /** {@code sizeof(struct iovec)}. */
    public static final int SIZE = NativeSocket.constant(NativeSocket.K_IOV_SIZE);
    /** Offset of {@code iov_base}. */
    public static final int BASE_OFFSET = NativeSocket.constant(NativeSocket.K_IOV_BASE_OFFSET);
    /** Offset of {@code iov_len}. */
    public static final int LEN_OFFSET = NativeSocket.constant(NativeSocket.K_IOV_LEN_OFFSET);
    /** {@code IOV_MAX}: most buffers one writev takes. */
    public static final int MAX = NativeSocket.constant(NativeSocket.K_IOV_MAX);

    private Iovec() {}
}

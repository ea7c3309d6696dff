package io.pollwire.transport.unix;

import io.pollwire.transport.loader.NativeLibrary;

/** The {@code how} argument of shutdown(2) on this platform, read from C on first use. */
public final class ShutdownHow {
    static {
        NativeLibrary.ensureLoaded(); // whoever touches this class first, the library is there
    }

    /** Further receptions are disallowed. */
    public static final int SHUT_RD = NativeSocket.constant(NativeSocket.K_SHUT_RD);
    /** Further transmissions are disallowed: the peer reads end of stream (our FIN). */
    public static final int SHUT_WR = NativeSocket.constant(NativeSocket.K_SHUT_WR);
    /** Both. */
    public static final int SHUT_RDWR = NativeSocket.constant(NativeSocket.K_SHUT_RDWR);

    private ShutdownHow() {}
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pollwire.Transport;
import io.pollwire.transport.loader.NativeLibrary;

/**
 * Decides whether a native test runs. Where the library could not be built (no cmake), native
 * tests are skipped with the reason; with {@code -Dpollwire.native.required=true} (CI) a
 * missing transport fails instead, so a broken build can never pass by skipping. A test run set
 * up for one transport ({@code -Dpollwire.test.expectTransport=KQUEUE}, the libkqueue run on
 * Linux) fails when that transport does not load.
 */
public final class NativeSupport {
    /** System property naming the transport a test run was built for. */
    public static final String EXPECT_PROPERTY = "pollwire.test.expectTransport";

    private NativeSupport() {}

    public static boolean required() {
        return Boolean.getBoolean("pollwire.native.required");
    }

    /** Skips (or, when native is required, fails) unless {@code transport} is available. */
    public static void assumeAvailable(Transport transport) {
        if (transport.isAvailable()) {
            return;
        }
        String why = transport + " unavailable: "
                + NativeLibrary.describe(transport.unavailabilityCause());
        if (required() && isNativeTransportOfThisOs(transport)) {
            fail(why + " (and -Dpollwire.native.required=true)");
        }
        if (transport.name().equals(System.getProperty(EXPECT_PROPERTY))) {
            fail(why + " (and this test run was set up for it: -D" + EXPECT_PROPERTY + "="
                    + transport + ")");
        }
        assumeTrue(false, why);
    }

    private static boolean isNativeTransportOfThisOs(Transport transport) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return transport == Transport.EPOLL ? os.contains("linux")
                : transport == Transport.KQUEUE && (os.contains("mac") || os.contains("bsd"));
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keep-alive tuning on NIO channels through {@code jdk.net.ExtendedSocketOptions}
 * ({@code TCP_KEEPIDLE}, {@code TCP_KEEPINTERVAL}, {@code TCP_KEEPCOUNT}; JDK 11+ on Linux and
 * macOS). Where the JDK does not offer one, setting it fails like setsockopt would.
 */
final class NioKeepAlive {
    private NioKeepAlive() {}

    /** Sets each positive value; 0 leaves the system's default. */
    static void tune(NetworkChannel channel, int idleSeconds, int intervalSeconds, int count) throws IOException {
        set(channel, ExtendedSocketOptions.TCP_KEEPIDLE, idleSeconds);
        set(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL, intervalSeconds);
        set(channel, ExtendedSocketOptions.TCP_KEEPCOUNT, count);
    }

    private static void set(NetworkChannel channel, SocketOption<Integer> option, int value) throws IOException {
        if (value <= 0) {
            return;
        }
        if (!channel.supportedOptions().contains(option)) {
            throw new UnsupportedOperationException(option.name() + " is not supported on this platform");
        }
        channel.setOption(option, value);
    }

    /** Reads {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTVL} or {@code TCP_KEEPCNT} (the C names). */
    static int get(NetworkChannel channel, String name) throws IOException {
        switch (name) {
            case "TCP_KEEPIDLE": return channel.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
            case "TCP_KEEPINTVL": return channel.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL);
            case "TCP_KEEPCNT": return channel.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT);
            default: throw new IllegalArgumentException("unknown option " + name);
        }
    }
}

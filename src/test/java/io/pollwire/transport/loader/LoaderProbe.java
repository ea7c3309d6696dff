// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.loader;

import io.pollwire.Transport;
import io.pollwire.transport.Backend;
import io.pollwire.transport.Poller;
import io.pollwire.transport.unix.Errno;

/**
 * Child-JVM entry point for {@link NativeLibraryTest}: touches pollwire classes in the order
 * the arguments name, then prints what the loader decided.
 */
public final class LoaderProbe {
    private LoaderProbe() {}

    public static void main(String[] args) throws Exception {
        for (String step : args) {
            switch (step) {
                case "errno-first":
                    // A class holding C constants is the very first thing touched.
                    System.out.println("EAGAIN=" + Errno.EAGAIN);
                    break;
                case "nio-first":
                    System.out.println("NIO=" + Transport.NIO.isAvailable());
                    break;
                case "epoll-poller-first":
                    try (Poller p = Backend.EPOLL.newPoller(8)) {
                        System.out.println("poller=" + p.poll(0));
                    }
                    break;
                default:
                    throw new IllegalArgumentException(step);
            }
        }
        System.out.println("loaded=" + NativeLibrary.isLoaded());
        System.out.println("backend=" + NativeLibrary.backend());
        System.out.println("source=" + NativeLibrary.source());
        System.out.println("auto=" + Transport.AUTO.resolve());
        Throwable cause = Transport.EPOLL.unavailabilityCause();
        System.out.println("cause=" + (cause == null ? "none" : NativeLibrary.describe(cause)));
        String workdir = System.getProperty(NativeLibrary.WORKDIR_PROPERTY);
        if (workdir != null && NativeLibrary.isLoaded()) {
            // Listed here, in the JVM that created it: the test's JVM may not be able to name
            // a non-ASCII path (its file name encoding depends on its locale).
            try (var s = java.nio.file.Files.list(java.nio.file.Paths.get(workdir))) {
                System.out.println("workdir.entries=" + s.count());
            }
        }
    }
}

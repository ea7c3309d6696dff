// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.loader;

import java.util.Locale;

/**
 * Names this JVM's platform the way the jar's {@code META-INF/native/<os>-<arch>/} folders do
 * (the classifier convention Netty users know: {@code linux-x86_64}, {@code osx-aarch_64}).
 */
public final class Platform {
    private Platform() {}

    /** @return {@code linux}, {@code osx}, {@code freebsd}, or the lower-cased OS name */
    public static String os() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "osx";
        }
        if (name.startsWith("freebsd")) {
            return "freebsd";
        }
        return name.replaceAll("[^a-z0-9]+", "");
    }

    /** @return {@code x86_64}, {@code aarch_64}, or the lower-cased architecture name */
    public static String arch() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "aarch_64";
            default:
                return arch.replaceAll("[^a-z0-9_]+", "");
        }
    }

    /** @return e.g. {@code linux-x86_64} */
    public static String classifier() {
        return os() + "-" + arch();
    }

    /** @return the platform's file name for the pollwire library, e.g. {@code libpollwire.so} */
    public static String libraryFileName() {
        return System.mapLibraryName("pollwire");
    }
}

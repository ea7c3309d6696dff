// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.loader;

import io.pollwire.observe.Loggers;
import io.pollwire.transport.unix.NativeSocket;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Finds, loads and checks libpollwire once per class loader, and remembers why it could not.
 *
 * <p>Order: {@code -Dpollwire.native.path=<file>}, then {@code java.library.path}, then the
 * copy bundled in the jar under {@code META-INF/native/<os>-<arch>/}, extracted to a private
 * temporary directory ({@code -Dpollwire.native.workdir} chooses its parent). {@code
 * -Dpollwire.native.disable=true} skips all of it. Nothing here throws: a missing or broken
 * library leaves {@link #unavailabilityCause()} set and the transports fall back to NIO. The
 * properties' paths are checked in {@link LibraryPaths}.
 */
public final class NativeLibrary {
    /** System property: absolute path of the library file to load. */
    public static final String PATH_PROPERTY = "pollwire.native.path";
    /** System property: {@code true} disables native transports. */
    public static final String DISABLE_PROPERTY = "pollwire.native.disable";
    /** System property: directory under which the bundled library is extracted. */
    public static final String WORKDIR_PROPERTY = "pollwire.native.workdir";

    private static final System.Logger LOG = Loggers.TRANSPORT;

    private NativeLibrary() {}

    /** Holder idiom: loading runs on first use, once, and its outcome is final. */
    private static final class State {
        static final Throwable CAUSE;
        static final String BACKEND;
        static final String SOURCE;

        static {
            Outcome outcome = load();
            CAUSE = outcome.cause;
            BACKEND = outcome.backend;
            SOURCE = outcome.source;
        }
    }

    private static final class Outcome {
        final Throwable cause;
        final String backend;
        final String source;

        Outcome(Throwable cause, String backend, String source) {
            this.cause = cause;
            this.backend = backend;
            this.source = source;
        }
    }

    /** @return true when the library is loaded, its natives are bound and its ABI matches */
    public static boolean isLoaded() {
        return State.CAUSE == null;
    }

    /**
     * Loads the library if that has not been tried yet.
     *
     * @throws UnsatisfiedLinkError carrying {@link #unavailabilityCause()} when it is unusable
     */
    public static void ensureLoaded() {
        Throwable cause = State.CAUSE;
        if (cause != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError(
                    "libpollwire unavailable: " + describe(cause));
            e.initCause(cause);
            throw e;
        }
    }

    /** @return why the library is not usable, or null when it is */
    public static Throwable unavailabilityCause() {
        return State.CAUSE;
    }

    /** @return {@code "epoll"} or {@code "kqueue"} when loaded, else null */
    public static String backend() {
        return State.BACKEND;
    }

    /** @return where the library was loaded from (a path or "java.library.path"), or null */
    public static String source() {
        return State.SOURCE;
    }

    private static Outcome load() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            return failed(new UnsupportedOperationException(
                    "native transports disabled by -D" + DISABLE_PROPERTY + "=true"));
        }
        String explicit = System.getProperty(PATH_PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            try {
                Path path = LibraryPaths.explicitLibrary(explicit);
                return loadFrom(path, path.toString());
            } catch (LibraryPaths.BadPath e) {
                return failed(new UnsatisfiedLinkError(e.getMessage()));
            }
        }

        Throwable libraryPathError = null;
        try {
            System.loadLibrary("pollwire");
            return verify("java.library.path");
        } catch (UnsatisfiedLinkError e) {
            // "no pollwire in java.library.path" is the normal case; anything else is a
            // broken copy there, worth reporting if the bundled one fails too.
            if (!String.valueOf(e.getMessage()).startsWith("no pollwire")) {
                libraryPathError = e;
            }
        } catch (LinkageError | RuntimeException e) {
            libraryPathError = e;
        }

        Outcome bundled = loadBundled();
        if (bundled.cause != null && libraryPathError != null) {
            bundled.cause.addSuppressed(libraryPathError);
        }
        return bundled;
    }

    private static Outcome loadBundled() {
        String classifier = Platform.classifier();
        String resource = "META-INF/native/" + classifier + "/" + Platform.libraryFileName();
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return failed(new UnsatisfiedLinkError("no libpollwire for " + classifier
                        + " in this jar (looked for " + resource + ")" + skippedBuildNote(loader)));
            }
            Path dir;
            try {
                dir = LibraryPaths.extractionParent();
            } catch (LibraryPaths.BadPath e) {
                return failed(new UnsatisfiedLinkError(e.getMessage()));
            }
            Path tmpDir = Files.createTempDirectory(dir, "pollwire-");
            Path file = tmpDir.resolve(Platform.libraryFileName());
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                return loadFrom(file, "jar:" + resource); // noexec: refused by LibraryPaths
            } finally {
                // The loaded image stays mapped: deleting now leaves nothing behind even if the
                // JVM is killed. Where the OS refuses, deleteOnExit is the fallback.
                deleteOrDefer(file);
                deleteOrDefer(tmpDir);
            }
        } catch (IOException | RuntimeException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                    "cannot extract " + resource + ": " + e);
            error.initCause(e);
            return failed(error);
        }
    }

    /** The build leaves a note when it could not compile the library (no cmake, no cc). */
    private static String skippedBuildNote(ClassLoader loader) {
        String note = "META-INF/native/build-skipped.txt";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(note)
                : loader.getResourceAsStream(note)) {
            if (in == null) {
                return "";
            }
            String why = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            return "; this jar was built without the native library: " + why;
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteOrDefer(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            path.toFile().deleteOnExit();
        }
    }

    private static Outcome loadFrom(Path path, String source) {
        try {
            System.load(path.toString());
            return verify(source);
        } catch (LinkageError | RuntimeException e) {
            return failed(e);
        }
    }

    /** Checks the loaded library speaks this Java code's ABI before anyone uses it. */
    private static Outcome verify(String source) {
        int abi = NativeSocket.abiVersion();
        if (abi != NativeSocket.EXPECTED_ABI_VERSION) {
            return failed(new UnsatisfiedLinkError("libpollwire from " + source + " has ABI "
                    + abi + " but this jar needs ABI " + NativeSocket.EXPECTED_ABI_VERSION
                    + ": a stale library shadows the bundled one"));
        }
        return new Outcome(null, NativeSocket.backend(), source);
    }

    private static Outcome failed(Throwable cause) {
        return new Outcome(cause, null, null);
    }

    /** Logs, once, at INFO, that native transports are unavailable and why. */
    public static void logFallbackOnce() {
        FallbackLog.touch();
    }

    private static final class FallbackLog {
        static {
            Throwable cause = State.CAUSE;
            if (cause != null) {
                LOG.log(Level.INFO, "pollwire native transport unavailable, using NIO: {0}",
                        describe(cause));
            }
        }

        static void touch() {}
    }

    /**
     * @param cause an {@link #unavailabilityCause()} or {@link io.pollwire.Transport#unavailabilityCause()}
     * @return a one-line description of it, with suppressed causes appended
     */
    public static String describe(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        sb.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        Throwable inner = cause.getCause();
        if (inner != null && inner.getMessage() != null
                && !cause.getMessage().contains(inner.getMessage())) {
            sb.append(" (caused by ").append(inner.getMessage()).append(')');
        }
        for (Throwable s : cause.getSuppressed()) {
            sb.append("; also: ").append(s.getClass().getSimpleName()).append(": ")
                    .append(s.getMessage());
        }
        return sb.toString();
    }
}

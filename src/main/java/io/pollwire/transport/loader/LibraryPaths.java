// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.loader;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Checks the paths {@link NativeLibrary} is told to use before it loads anything: the library
 * file of {@code -Dpollwire.native.path} and the extraction directory of {@code
 * -Dpollwire.native.workdir} (else {@code java.io.tmpdir}). A path that cannot work (missing,
 * unreadable, not writable, on a {@code noexec} mount, not encodable) becomes a {@link BadPath}
 * whose message names the property, so the fallback to NIO says which setting to fix.
 */
final class LibraryPaths {
    private LibraryPaths() {}

    /** A path from a property that cannot be used; the message names the property. */
    static final class BadPath extends Exception {
        private static final long serialVersionUID = 1L;

        BadPath(String message) {
            super(message);
        }
    }

    /**
     * The value of a path property made absolute (against {@code user.dir}): System.load takes
     * absolute paths only, and a message should show the one really used.
     */
    private static Path absolute(String property, String value) throws BadPath {
        try {
            return Paths.get(value).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new BadPath(named(property, value, null) + ": not a path this JVM can use with file name"
                    + " encoding " + System.getProperty("sun.jnu.encoding") + " (" + e.getReason()
                    + "); run with a UTF-8 locale (e.g. LANG=C.UTF-8) or choose an ASCII path");
        }
    }

    /** {@code -Dproperty=value}, and the absolute path when it differs from the value. */
    private static String named(String property, String value, Path absolute) {
        String s = "-D" + property + "=" + value;
        return absolute == null || absolute.toString().equals(value) ? s : s + " (" + absolute + ")";
    }

    /** {@code -Dpollwire.native.path}: an existing, readable file on a mount that allows exec. */
    static Path explicitLibrary(String value) throws BadPath {
        Path path = absolute(NativeLibrary.PATH_PROPERTY, value);
        String named = named(NativeLibrary.PATH_PROPERTY, value, path);
        if (!Files.exists(path)) {
            throw new BadPath(named + (Files.isSymbolicLink(path) ? ": a dangling symbolic link" : ": no such file"));
        }
        if (!Files.isRegularFile(path)) {
            throw new BadPath(named + ": not a regular file (give the library file itself)");
        }
        if (!Files.isReadable(path)) {
            throw new BadPath(named + ": not readable");
        }
        if (path.getParent() != null && isNoexecMount(path.getParent())) {
            throw new BadPath(named + ": on a noexec mount, where no library can be loaded");
        }
        return path;
    }

    /**
     * Where the bundled library is extracted: {@code -Dpollwire.native.workdir}, else
     * {@code java.io.tmpdir}; made absolute, created if missing, and checked to be a writable
     * directory on a mount that allows executables.
     */
    static Path extractionParent() throws BadPath {
        String workdir = System.getProperty(NativeLibrary.WORKDIR_PROPERTY);
        boolean given = workdir != null && !workdir.isEmpty();
        String property = given ? NativeLibrary.WORKDIR_PROPERTY : "java.io.tmpdir";
        String value = given ? workdir : System.getProperty("java.io.tmpdir");
        Path dir = absolute(property, value);
        String named = named(property, value, dir);
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BadPath(named + ": not a directory");
        } catch (IOException | SecurityException e) {
            throw new BadPath(named + ": cannot create it: " + e);
        }
        if (!Files.isDirectory(dir)) {
            throw new BadPath(named + ": not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw new BadPath(named + ": not writable");
        }
        if (isNoexecMount(dir)) {
            throw new BadPath(named + ": on a noexec mount, where no library can be loaded; set -D"
                    + NativeLibrary.WORKDIR_PROPERTY + " to a directory that allows executables");
        }
        return dir;
    }

    /** Linux only: is the file system holding {@code dir} mounted noexec? */
    static boolean isNoexecMount(Path dir) {
        return isNoexecMount(dir, Paths.get("/proc/self/mounts"));
    }

    static boolean isNoexecMount(Path dir, Path mounts) {
        if (!Files.isReadable(mounts)) {
            return false;
        }
        try {
            String real = dir.toRealPath().toString();
            String bestMount = "";
            boolean bestNoexec = false;
            List<String> lines = Files.readAllLines(mounts);
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f.length < 4) {
                    continue;
                }
                String mountPoint = f[1].replace("\\040", " ");
                boolean covers = real.equals(mountPoint) || mountPoint.equals("/")
                        || real.startsWith(mountPoint + "/");
                if (covers && mountPoint.length() >= bestMount.length()) {
                    bestMount = mountPoint;
                    bestNoexec = ("," + f[3] + ",").contains(",noexec,");
                }
            }
            return bestNoexec;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

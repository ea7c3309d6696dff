// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Transport;
import io.pollwire.testing.JavaProcess;
import io.pollwire.testing.NativeSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader in fresh JVMs: its decision is made once per JVM, so every scenario gets its own
 * process, configured only through the documented system properties.
 */
@Timeout(120)
class NativeLibraryTest {
    @TempDir
    Path tmp;

    private static JavaProcess.Result probe(List<String> jvmOptions, String... steps) throws Exception {
        return probeIn(null, null, jvmOptions, steps);
    }

    /** The probe with its working directory and LC_ALL set (each null: inherited). */
    private static JavaProcess.Result probeIn(Path cwd, String locale, List<String> jvmOptions, String... steps)
            throws Exception {
        ProcessBuilder pb = JavaProcess.builder(jvmOptions, LoaderProbe.class.getName(), steps);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (locale != null) {
            pb.environment().put("LC_ALL", locale);
        }
        JavaProcess.Result r = JavaProcess.run(pb, 60);
        assertEquals(0, r.exitCode, r.toString());
        return r;
    }

    /** The library the build produced, which the tests copy or link to other paths. */
    private static Path builtLibrary() throws Exception {
        String resource = "META-INF/native/" + Platform.classifier() + "/" + Platform.libraryFileName();
        java.net.URL url = NativeLibraryTest.class.getClassLoader().getResource(resource);
        assertTrue(url != null && url.getProtocol().equals("file"), resource + " at " + url);
        return Path.of(url.toURI());
    }

    /** Non-ASCII names can be created here only when this JVM's file name encoding is UTF-8. */
    private static void assumeUtf8FileNames() {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "this JVM cannot name non-ASCII files (sun.jnu.encoding="
                        + System.getProperty("sun.jnu.encoding") + "); run with LANG=C.UTF-8");
    }

    @Test
    void relativeWorkdirIsResolvedAgainstTheWorkingDirectory() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        JavaProcess.Result r = probeIn(tmp, null, List.of("-Dpollwire.native.workdir=wd"));
        assertEquals("true", line(r, "loaded"), r.toString());
        assertEquals("EPOLL", line(r, "auto"));
        assertEquals("0", line(r, "workdir.entries"), "extracted library left behind");
        assertTrue(Files.isDirectory(tmp.resolve("wd")), "created under the working directory");
    }

    @Test
    void workdirThroughASymlinkWithSpacesAndNonAsciiCharacters() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        assumeUtf8FileNames();
        Path real = Files.createDirectories(tmp.resolve("real dir"));
        Path link = Files.createSymbolicLink(tmp.resolve("lien vers ré pertoire ☃"), real);
        JavaProcess.Result r = probeIn(null, "C.UTF-8", List.of("-Dpollwire.native.workdir=" + link.resolve("sous dossier ü")));
        assertEquals("true", line(r, "loaded"), r.toString());
        assertEquals("0", line(r, "workdir.entries"), "extracted library left behind");
        assertTrue(Files.isDirectory(real.resolve("sous dossier ü")), "created through the link");
    }

    @Test
    void workdirThatIsAFileIsNamedInTheCause() throws Exception {
        Files.write(tmp.resolve("plain"), new byte[] {1});
        JavaProcess.Result r = probeIn(tmp, null, List.of("-Dpollwire.native.workdir=plain"));
        assertEquals("NIO", line(r, "auto"));
        assertEquals("UnsatisfiedLinkError: -Dpollwire.native.workdir=plain (" + tmp.toRealPath().resolve("plain")
                + "): not a directory", line(r, "cause"));
    }

    @Test
    void nonAsciiWorkdirInAnAsciiLocaleSaysWhy() throws Exception {
        JavaProcess.Result r = probeIn(null, "C", List.of("-Dpollwire.native.workdir=" + tmp + "/wörk"));
        assertEquals("NIO", line(r, "auto"));
        String cause = line(r, "cause");
        assertTrue(cause.startsWith("UnsatisfiedLinkError: -Dpollwire.native.workdir=") && cause.contains(
                "not a path this JVM can use with file name encoding") && cause.contains("LANG=C.UTF-8"), cause);
    }

    @Test
    void relativeLibraryPathIsResolvedAgainstTheWorkingDirectory() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.copy(builtLibrary(), lib.resolve("libpollwire.so"));
        JavaProcess.Result r = probeIn(tmp, null, List.of("-Dpollwire.native.path=lib/libpollwire.so"));
        assertEquals("true", line(r, "loaded"), r.toString());
        assertEquals(tmp.toRealPath().resolve("lib/libpollwire.so").toString(), line(r, "source"));
    }

    @Test
    void libraryPathThroughASymlinkWithSpacesAndNonAsciiCharacters() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        assumeUtf8FileNames();
        Path dir = Files.createDirectories(tmp.resolve("bibliothèque partagée ✓"));
        Path link = Files.createSymbolicLink(dir.resolve("libpollwire.so"), builtLibrary());
        JavaProcess.Result r = probeIn(null, "C.UTF-8", List.of("-Dpollwire.native.path=" + link));
        assertEquals("true", line(r, "loaded"), r.toString());
        assertEquals(link.toString(), line(r, "source"));
    }

    @Test
    void libraryPathProblemsNameTheProperty() throws Exception {
        Files.createSymbolicLink(tmp.resolve("dangling.so"), tmp.resolve("nothing-here.so"));
        Files.createDirectories(tmp.resolve("adir"));
        String[][] cases = {{"dangling.so", "a dangling symbolic link"}, {"adir", "not a regular file"}};
        for (String[] c : cases) {
            JavaProcess.Result r = probeIn(tmp, null, List.of("-Dpollwire.native.path=" + c[0]));
            assertEquals("NIO", line(r, "auto"));
            assertEquals("UnsatisfiedLinkError: -Dpollwire.native.path=" + c[0] + " (" + tmp.toRealPath().resolve(c[0])
                    + "): " + c[1] + (c[1].startsWith("not a regular") ? " (give the library file itself)" : ""),
                    line(r, "cause"));
        }
    }

    private static String line(JavaProcess.Result r, String key) {
        for (String l : r.out.split("\n")) {
            if (l.startsWith(key + "=")) {
                return l.substring(key.length() + 1);
            }
        }
        throw new AssertionError("no " + key + "= in\n" + r);
    }

    @Test
    void disabledByPropertyMeansNioWithThatReason() throws Exception {
        JavaProcess.Result r = probe(List.of("-Dpollwire.native.disable=true"));
        assertEquals("false", line(r, "loaded"));
        assertEquals("NIO", line(r, "auto"));
        assertTrue(line(r, "cause").contains("disabled by -Dpollwire.native.disable=true"), r.out);
        assertTrue(r.err.contains("using NIO"), "the fallback is logged once:\n" + r.err);
    }

    @Test
    void explicitPathToNothingMeansNioWithThePath() throws Exception {
        Path missing = tmp.resolve("nowhere/libpollwire.so");
        JavaProcess.Result r = probe(List.of("-Dpollwire.native.path=" + missing));
        assertEquals("NIO", line(r, "auto"));
        assertTrue(line(r, "cause").contains(missing + ": no such file"), r.out);
    }

    @Test
    void corruptLibraryMeansNioWithTheLinkerError() throws Exception {
        Path corrupt = tmp.resolve("libpollwire.so");
        Files.write(corrupt, "this is not an ELF file".getBytes(StandardCharsets.US_ASCII));
        JavaProcess.Result r = probe(List.of("-Dpollwire.native.path=" + corrupt));
        assertEquals("NIO", line(r, "auto"));
        String cause = line(r, "cause");
        assertTrue(cause.startsWith("UnsatisfiedLinkError") && cause.contains(corrupt.toString()), cause);
    }

    @Test
    void unknownPlatformNamesTheMissingClassifier() throws Exception {
        JavaProcess.Result r = probe(List.of("-Dos.arch=riscv64"));
        assertEquals("NIO", line(r, "auto"));
        assertTrue(line(r, "cause").contains("no libpollwire for " + Platform.os() + "-riscv64"), r.out);
    }

    @Test
    void brokenCopyOnLibraryPathFallsBackToTheBundledOne() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        Files.write(tmp.resolve(Platform.libraryFileName()), new byte[] {1, 2, 3});
        JavaProcess.Result r = probe(List.of("-Djava.library.path=" + tmp));
        assertEquals("true", line(r, "loaded"), r.toString());
        assertTrue(line(r, "source").startsWith("jar:META-INF/native/"), r.out);
    }

    @Test
    void bundledLibraryIsExtractedUnderWorkdirAndDeleted() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        Path workdir = tmp.resolve("work");
        JavaProcess.Result r = probe(List.of("-Dpollwire.native.workdir=" + workdir));
        assertEquals("true", line(r, "loaded"));
        assertEquals("EPOLL", line(r, "auto"));
        try (var s = Files.list(workdir)) {
            assertEquals(List.of(), Arrays.asList(s.toArray()), "extracted library left behind");
        }
    }

    @Test
    void classOrderDoesNotMatter() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        for (String first : new String[] {"errno-first", "nio-first", "epoll-poller-first"}) {
            JavaProcess.Result r = probe(new ArrayList<>(), first);
            assertEquals("true", line(r, "loaded"), first + ": " + r);
            assertEquals("EPOLL", line(r, "auto"), first);
        }
    }

    @Test
    void touchingNativeConstantsWithoutTheLibraryFailsWithTheCause() throws Exception {
        JavaProcess.Result r = JavaProcess.run(JavaProcess.builder(
                List.of("-Dpollwire.native.disable=true"), LoaderProbe.class.getName(), "errno-first"), 60);
        assertFalse(r.exitCode == 0, r.toString());
        assertTrue(r.err.contains("libpollwire unavailable") && r.err.contains("disabled"), r.err);
    }

    @Test
    void noexecMountIsRecognised() throws Exception {
        Path mounts = tmp.resolve("mounts");
        Path dir = Files.createDirectories(tmp.resolve("exec/noexec/sub"));
        String exec = tmp.resolve("exec").toRealPath().toString();
        String noexec = tmp.resolve("exec/noexec").toRealPath().toString();
        Files.write(mounts, List.of(
                "rootfs / ext4 rw,relatime 0 0",
                "tmpfs " + exec + " tmpfs rw,nosuid 0 0",
                "tmpfs " + noexec + " tmpfs rw,nosuid,noexec 0 0"));
        assertTrue(LibraryPaths.isNoexecMount(dir, mounts));
        assertFalse(LibraryPaths.isNoexecMount(tmp.resolve("exec"), mounts));
    }

    @Test
    void ensureAvailableCarriesTheCause() {
        Transport other = "epoll".equals(NativeLibrary.backend()) ? Transport.KQUEUE : Transport.EPOLL;
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                other::ensureAvailable);
        assertTrue(e.getMessage().startsWith(other + " transport unavailable: "), e.getMessage());
        assertEquals(other.unavailabilityCause().getClass(), e.getCause().getClass());
        Transport.NIO.ensureAvailable();
        assertTrue(Transport.AUTO.isAvailable());
    }
}

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
        JavaProcess.Result r = JavaProcess.run(
                JavaProcess.builder(jvmOptions, LoaderProbe.class.getName(), steps), 60);
        assertEquals(0, r.exitCode, r.toString());
        return r;
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
        assertTrue(NativeLibrary.isNoexecMount(dir, mounts));
        assertFalse(NativeLibrary.isNoexecMount(tmp.resolve("exec"), mounts));
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

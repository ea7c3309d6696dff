// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Counts what a test could leak: open file descriptors and live pollwire threads. */
public final class Leaks {
    private Leaks() {}

    /**
     * Counts this process's sockets, pipes, epoll/eventfd/kqueue descriptors: what pollwire opens.
     * Regular files are left out, since the JVM opens jars and libraries lazily while tests run.
     *
     * @return the count, or -1 where /proc/self/fd does not exist
     */
    public static int openFds() {
        Path fds = Paths.get("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.filter(Leaks::isIoDescriptor).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Like {@link #openFds()}, after letting the JDK open the descriptors it keeps for the life
     * of the JVM (opening the first NIO Selector leaves one socket open for good).
     */
    public static int openFdsAfterJdkWarmUp() {
        try {
            java.nio.channels.Selector.open().close();
            java.nio.channels.ServerSocketChannel.open().close();
            java.nio.channels.SocketChannel.open().close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return openFds();
    }

    /** @return "fd -> target" of every descriptor {@link #openFds()} counts, for failure messages */
    public static List<String> describeIoFds() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            s.filter(Leaks::isIoDescriptor).forEach(p -> {
                try {
                    out.add(p.getFileName() + " -> " + Files.readSymbolicLink(p));
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            out.add("unreadable: " + e);
        }
        return out;
    }

    private static boolean isIoDescriptor(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // closed while we looked (e.g. the directory stream's own fd)
        }
    }

    /** @return names of live threads whose name starts with "pollwire" */
    public static List<String> pollwireThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("pollwire")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /**
     * Waits up to {@code millis} for the fd count to come back to {@code baseline} (the JDK
     * closes some descriptors asynchronously) and returns the last count seen.
     */
    public static int awaitFds(int baseline, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        int now = openFds();
        while (now > baseline && System.nanoTime() < deadline) {
            Thread.sleep(10);
            now = openFds();
        }
        return now;
    }

    /** Waits up to {@code millis} for all pollwire threads to end; returns the ones left. */
    public static List<String> awaitNoPollwireThreads(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<String> left = pollwireThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            left = pollwireThreads();
        }
        return left;
    }
}

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

    /** @return open fds of this process (/proc/self/fd, or /dev/fd on macOS), or -1 */
    public static int openFds() {
        Path fds = Paths.get("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            fds = Paths.get("/dev/fd");
        }
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return (int) s.count();
        } catch (IOException e) {
            return -1;
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

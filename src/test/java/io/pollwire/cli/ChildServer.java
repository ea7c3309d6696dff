package io.pollwire.cli;

import io.pollwire.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pollwire CLI server ({@link Main}) in a child JVM: started with {@code --port 0}, its port
 * read from the line it prints, stopped with SIGTERM (or killed if it does not exit in time).
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (?:\\[[^]]*]|[^:\\s]+):(\\d+)");

    final Process process;
    final String firstLine;
    final int port;
    private final File errFile;
    private final BufferedReader out;
    private Integer exitCode;

    /** Starts {@code Main args...} and waits (at most 30 s) for its "listening on" line. */
    ChildServer(String... args) throws Exception {
        errFile = File.createTempFile("pollwire-child", ".err");
        ProcessBuilder pb = JavaProcess.builder(List.of("-Xmx128m"), Main.class.getName(), args);
        pb.redirectError(errFile);
        process = pb.start();
        process.getOutputStream().close();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String l;
        try {
            l = line.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("child printed nothing in 30 s; stderr: " + stderr());
        }
        firstLine = l;
        Matcher m = l == null ? null : LISTENING.matcher(l);
        if (m == null || !m.find()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("no 'listening on' line but " + l + "; stderr: " + stderr());
        }
        port = Integer.parseInt(m.group(1));
    }

    /** Sends SIGTERM and waits for the exit code (kills after 20 s). */
    int terminate() throws InterruptedException {
        if (exitCode == null) {
            process.destroy(); // SIGTERM on Unix
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child did not exit on SIGTERM; stderr: " + stderr());
            }
            exitCode = process.exitValue();
        }
        return exitCode;
    }

    String stderr() {
        try {
            return new String(Files.readAllBytes(errFile.toPath()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the child if it still runs (a test that failed before {@link #terminate}). */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.close();
        } finally {
            errFile.delete();
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pollwire CLI in its own process: the jar run as a user runs it ({@code java -jar
 * target/pollwire-<v>.jar ...}) for integration tests, or a main class from the test classpath
 * for tests that run before the jar exists. Stdout lines are queued as they come, stderr is
 * collected, and the process is always killed by {@link #close()}.
 */
public final class CliProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+) ");

    private final Process process;
    private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;
    private volatile String listeningLine;

    private CliProcess(Process process) {
        this.process = process;
        outPump = pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                line -> stdout.add(line), "cli-stdout");
        errPump = pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                line -> stderr.append(line).append('\n'), "cli-stderr");
    }

    private static Thread pump(BufferedReader r, java.util.function.Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** @return the jar under test: {@code -Dpollwire.jar}, set by the failsafe configuration */
    public static Path jar() {
        String p = System.getProperty("pollwire.jar");
        if (p == null) {
            throw new IllegalStateException("-Dpollwire.jar not set (run through ./mvnw verify)");
        }
        Path jar = Paths.get(p);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("jar not built: " + jar);
        }
        return jar;
    }

    /** Starts {@code java -jar <jar> args...}. */
    public static CliProcess start(String... args) throws IOException {
        return startWithShellPrefix(null, args);
    }

    /**
     * Starts {@code mainClass} from the test classpath in a fresh JVM: the CLI without the jar,
     * for tests that run before it is packaged.
     */
    public static CliProcess startClass(Class<?> mainClass, String... args) throws IOException {
        return startClass(List.of("-Xmx128m"), mainClass, args);
    }

    /** Like {@link #startClass(Class, String...)} with these JVM options (e.g. {@code -Xmx64m}). */
    public static CliProcess startClass(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        ProcessBuilder pb = JavaProcess.builder(jvmOptions, mainClass.getName(), args);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new CliProcess(pb.start());
    }

    /**
     * Starts {@code java javaArgs...}, for what the other starters do not give: JVM options
     * before {@code -jar}, the module path.
     */
    public static CliProcess startJava(List<String> javaArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaProcess.javaBin());
        cmd.addAll(javaArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new CliProcess(pb.start());
    }

    /**
     * Starts the jar through {@code bash -c "<prefix> exec java -jar ..."}, e.g. with
     * {@code "ulimit -n 128 &&"} to run it under a small descriptor limit.
     */
    public static CliProcess startWithShellPrefix(String shellPrefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaProcess.javaBin());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        for (String a : args) {
            cmd.add(a);
        }
        ProcessBuilder pb;
        if (shellPrefix == null) {
            pb = new ProcessBuilder(cmd);
        } else {
            StringBuilder line = new StringBuilder(shellPrefix).append(" exec");
            for (String c : cmd) {
                line.append(" '").append(c.replace("'", "'\\''")).append('\'');
            }
            pb = new ProcessBuilder("bash", "-c", line.toString());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return new CliProcess(pb.start());
    }

    /**
     * Waits for the server's first stdout line, which must be its "listening on HOST:PORT" line
     * (the CLI prints it before anything else), and returns a loopback address for that port.
     */
    public InetSocketAddress awaitListening(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        String line = null;
        while (line == null && System.nanoTime() < deadline) {
            line = stdout.poll(50, TimeUnit.MILLISECONDS);
            if (line == null && !process.isAlive() && stdout.isEmpty()) {
                break;
            }
        }
        if (line == null) {
            throw new AssertionError("server did not report its port; stderr:\n" + stderr);
        }
        Matcher m = LISTENING.matcher(line);
        if (!m.find()) {
            throw new AssertionError("first line is not 'listening on HOST:PORT' but: " + line + "; stderr:\n" + stderr);
        }
        listeningLine = line;
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(2)));
    }

    /** @return the line {@link #awaitListening} matched, or null before it returned */
    public String listeningLine() {
        return listeningLine;
    }

    /**
     * Sends SIGTERM with kill(1). Not {@link Process#destroy()}: it sends the same signal but
     * also closes our ends of the child's pipes, losing what the child prints afterwards.
     */
    public void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Sends a named signal with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** @return the exit code, or fails after {@code millis} */
    public int awaitExit(long millis) throws InterruptedException {
        if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process still running after " + millis + " ms; stderr:\n" + stderr);
        }
        try {
            outPump.join(2000);
            errPump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    public String stderr() {
        return stderr.toString();
    }

    public List<String> stdoutLines() {
        return new ArrayList<>(stdout);
    }

    /** @return the process id, e.g. to read {@code /proc/<pid>/status} */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

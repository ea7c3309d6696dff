// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a class of this build in a fresh JVM, for behaviour that depends on JVM start-up. */
public final class JavaProcess {
    private JavaProcess() {}

    /** What a finished child printed and returned. */
    public static final class Result {
        public final int exitCode;
        public final String out;
        public final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** @return the java launcher of the JVM running the tests */
    public static String javaBin() {
        String home = System.getProperty("pollwire.test.javaHome", System.getProperty("java.home"));
        return Paths.get(home, "bin", "java").toString();
    }

    /** Starts {@code mainClass} with the test classpath, the JVM options and arguments given. */
    public static ProcessBuilder builder(List<String> jvmOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        for (String a : args) {
            cmd.add(a);
        }
        return new ProcessBuilder(cmd);
    }

    /** Runs to completion (or kills after {@code timeoutSeconds}) and collects the output. */
    public static Result run(ProcessBuilder pb, long timeoutSeconds) throws IOException, InterruptedException {
        File errFile = File.createTempFile("pollwire-child", ".err");
        try {
            pb.redirectError(errFile);
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread pump = new Thread(() -> copy(p.getInputStream(), out), "test-stdout-pump");
            pump.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                pump.join(5000);
                throw new AssertionError("child JVM did not finish in " + timeoutSeconds + " s; "
                        + "stdout so far:\n" + out.toString(StandardCharsets.UTF_8));
            }
            pump.join(5000);
            String err = new String(java.nio.file.Files.readAllBytes(errFile.toPath()),
                    StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err);
        } finally {
            errFile.delete();
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the child died; what we have is what it printed
        }
    }
}

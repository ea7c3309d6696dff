// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.testing.JavaProcess;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as a module, as a user of the module path sees it: only the API packages are
 * exported, and the CLI runs from the module, loading the native library from inside it.
 */
class ModulePathIT {
    private static String jar() {
        String jar = System.getProperty("pollwire.jar");
        assertTrue(jar != null && !jar.isEmpty(), "pollwire.jar not set (run through failsafe)");
        return jar;
    }

    @Test
    void theJarExportsOnlyTheApiPackages() throws Exception {
        JavaProcess.Result r = JavaProcess.run(new ProcessBuilder(JavaProcess.javaBin(),
                "--module-path", jar(), "--describe-module", "io.pollwire"), 60);
        assertEquals(0, r.exitCode, r.toString());
        List<String> exports = r.out.lines().filter(l -> l.startsWith("exports "))
                .collect(Collectors.toList());
        assertEquals(List.of("exports io.pollwire", "exports io.pollwire.codec"), exports, r.toString());
        assertTrue(r.out.contains("contains io.pollwire.transport.unix"), r.toString());
    }

    @Test
    void theCliRunsFromTheModulePath() throws Exception {
        JavaProcess.Result r = JavaProcess.run(new ProcessBuilder(JavaProcess.javaBin(),
                "--enable-native-access=io.pollwire", "--module-path", jar(),
                "--module", "io.pollwire/io.pollwire.cli.Main", "info"), 60);
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("NIO: available"), r.toString());
        assertTrue(r.out.contains("AUTO: resolves to"), r.toString());
        if (Boolean.getBoolean("pollwire.native.required")
                && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            assertTrue(r.out.contains("EPOLL: available"), "the library loads from inside the module: " + r);
        }
        assertTrue(!r.err.contains("WARNING"), r.toString());
    }
}

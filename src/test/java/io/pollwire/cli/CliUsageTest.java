// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.codec.Framing;
import io.pollwire.codec.LengthFieldFraming;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Mistakes on the command line, in-process: exit status 2 and one line saying what is wrong. */
class CliUsageTest {
    /** Runs {@link Main#run}; returns {status, stdout, stderr}. */
    private static Object[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /** @return the end of the only line of {@code text} from its last '(' on; fails on more lines */
    static String oneLineTail(String text) {
        String line = text.strip();
        assertTrue(!line.isEmpty() && line.lines().count() == 1, "not one line:\n" + text);
        return line.substring(Math.max(0, line.lastIndexOf('(')));
    }

    @Test
    void noCommandIsAUsageError() {
        Object[] r = run();
        assertEquals(2, r[0]);
        assertEquals("", r[1]);
        String err = (String) r[2];
        assertTrue(err.startsWith("pollwire: no command given\nusage: java -jar pollwire.jar <command>"), err);
    }

    @Test
    void unknownCommandIsOneLine() {
        Object[] r = run("ecoh", "--port", "1");
        assertEquals(2, r[0]);
        assertEquals("pollwire: unknown command 'ecoh' (usage: java -jar pollwire.jar --help)", ((String) r[2]).strip());
    }

    @Test
    void badOptionsAreOneLineEach() {
        String[][] cases = {
            {"echo", "--bogus", "1"}, {"echo", "--port"}, {"echo", "--port", "70000"}, {"echo", "stray"},
            {"echo", "--idle-timeout", "soon"}, {"http", "--reuse-port", "maybe"},
            {"redis", "--port", "70000"}, {"redis", "stray"}, {"redis", "--loops", "0"},
            {"proxy", "--port", "0"}, {"proxy", "--backend", "nohost"},
        };
        for (String[] args : cases) {
            Object[] r = run(args);
            assertEquals(2, r[0], String.join(" ", args));
            assertEquals("(usage: java -jar pollwire.jar " + args[0] + " --help)", oneLineTail((String) r[2]));
            assertTrue(((String) r[2]).startsWith("pollwire " + args[0] + ": "), (String) r[2]);
        }
    }

    @Test
    void anUnknownOptionWithoutAValueIsReportedAsUnknown() {
        for (String command : new String[] {"echo", "http", "redis"}) {
            Object[] r = run(command, "--bogus");
            assertEquals(2, r[0], command);
            assertEquals("pollwire " + command + ": unknown option --bogus (usage: java -jar pollwire.jar " + command
                    + " --help)", ((String) r[2]).strip());
        }
        // a known option at the end still asks for its value
        Object[] r = run("echo", "--port");
        assertEquals("pollwire echo: --port needs a value (usage: java -jar pollwire.jar echo --help)",
                ((String) r[2]).strip());
    }

    @Test
    void infoAndVersionRejectExtraArguments() {
        String[][] cases = {{"info", "--bogus"}, {"info", "extra"}, {"info", "--port", "1"}};
        for (String[] args : cases) {
            Object[] r = run(args);
            assertEquals(2, r[0], String.join(" ", args));
            assertEquals("", r[1], String.join(" ", args));
            assertEquals("(usage: java -jar pollwire.jar info --help)", oneLineTail((String) r[2]));
            assertTrue(((String) r[2]).startsWith("pollwire info: "), (String) r[2]);
        }
        Object[] r = run("--version", "extra");
        assertEquals(2, r[0]);
        assertEquals("", r[1]);
        assertEquals("pollwire: --version takes no arguments: 'extra' (usage: java -jar pollwire.jar --help)",
                ((String) r[2]).strip());
        Object[] help = run("info", "--help");
        assertEquals(0, help[0]);
        assertTrue(((String) help[1]).startsWith("usage: java -jar pollwire.jar info"), (String) help[1]);
    }

    @Test
    void infoNamesTheNativeWorkDir() {
        Object[] r = run("info");
        assertEquals(0, r[0]);
        String expected = System.getProperty("pollwire.native.workdir", "").isEmpty()
                ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()
                        + " (-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir") + ";"
                : null;
        String out = (String) r[1];
        assertTrue(out.contains("\nnative work dir: "), out);
        if (expected != null) {
            assertTrue(out.contains("native work dir: " + expected + " the bundled library is extracted under it)\n"),
                    out);
        }
    }

    @Test
    void versionPrintsOneLine() {
        Object[] r = run("--version");
        assertEquals(0, r[0]);
        // outside the jar there is no manifest: the CLI says so rather than inventing a number
        assertEquals("pollwire (development build)\n", ((String) r[1]).replace("\r\n", "\n"));
    }

    @Test
    void lengthFramingLimitsFitTheFieldWidth() throws Exception {
        // the default --max-frame (64 KiB) is lowered to what one byte can count
        Framing one = EchoCommand.parseFraming("length:1", Framing.DEFAULT_MAX_LINE, false);
        assertEquals(1 + 255, ((LengthFieldFraming) one).maxFrameLength());
        Framing two = EchoCommand.parseFraming("length:2", 1000, true);
        assertEquals(2 + 1000, ((LengthFieldFraming) two).maxFrameLength());
        // given explicitly, an impossible limit is the user's mistake
        Object[] r = run("echo", "--framing", "length:1", "--max-frame", "100000");
        assertEquals(2, r[0]);
        assertEquals("pollwire echo: --max-frame 100000 with --framing length:1: a 1-byte length counts at most 255"
                + " bytes (usage: java -jar pollwire.jar echo --help)", ((String) r[2]).strip());
    }
}

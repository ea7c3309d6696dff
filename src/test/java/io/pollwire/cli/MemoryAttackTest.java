// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pollwire.testing.CliProcess;
import io.pollwire.testing.LineClient;
import io.pollwire.testing.NativeSupport;
import io.pollwire.Transport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: hostile input cannot take the server down. The echo CLI runs in its own JVM with
 * {@code -Xmx64m} (so about 64 MiB of direct memory, a small container), one loop, the default
 * memory budget; thousands of peers then send partial lines, or lines whose echoes they never
 * read. The server must stay up and answer a fresh client, stay under 256 MiB of RSS, never log
 * an OutOfMemoryError, end with exit 0 or 3 on SIGTERM (never 4), and its report must count
 * exactly the connections it shed (each received {@code ERR server busy}). Subclassed per
 * transport.
 */
@Timeout(180)
abstract class MemoryAttackTest {
    private static final long RSS_LIMIT_KB = 256 * 1024;
    private static final Pattern REPORT = Pattern.compile(
            "buffered at most (\\d+) of (\\d+) budget bytes, (\\d+) connections shed, (\\d+) closed on allocation failure");

    protected abstract Transport transport();

    @Test
    void partialLinesOf60kBFrom2000ConnectionsAreShedNotFatal() throws Exception {
        Outcome o = partialLineAttack(2000, 60_000);
        assertTrue(o.shed > 0, "2,000 x 60 kB is over half of 64 MiB: some must be shed; " + o);
        assertTrue(o.peak <= o.budget, o.toString());
    }

    @Test
    void partialLinesOf5kBFrom2000ConnectionsAreAllKept() throws Exception {
        Outcome o = partialLineAttack(2000, 5_000);
        assertEquals(0, o.shed, "2,000 x 8 KiB fits the budget: nobody is shed; " + o);
        assertTrue(o.peak <= 2000L * 8192 + 64 * 1024, "5 kB must cost an 8 KiB buffer each; " + o);
    }

    @Test
    void clientsThatNeverReadTheirEchoesAreBoundedByTheBudget() throws Exception {
        long t0 = System.nanoTime();
        assumeDescriptors(300);
        try (CliProcess server = startServer()) {
            InetSocketAddress addr = server.awaitListening(20_000);
            List<SocketChannel> clients = connect(addr, 300, 4096); // small: echoes queue in the server
            try {
                byte[] line = new byte[100];
                Arrays.fill(line, (byte) 'y');
                line[99] = '\n';
                // 1 MiB is absorbed by the kernel's socket buffers here (send buffers autotune to
                // 4 MiB): send up to 6 MiB, until the server stops reading, so its queues fill
                byte[] mib = new byte[6 << 20];
                for (int i = 0; i < mib.length; i += line.length) {
                    System.arraycopy(line, 0, mib, i, Math.min(line.length, mib.length - i));
                }
                writeAll(clients, mib, 2_000);
                awaitQuiet(server);
                assertResponsive(server, addr);
                long hwm = peakRssKb(server);
                Outcome o = stop(server, clients);
                assertEquals(0, o.allocationFailures, o.toString());
                assertTrue(o.peak > o.budget / 2, "the echoes did queue in the server: " + o);
                // output is never refused; over the budget each connection stops being read,
                // so at most one read's echo (64 KiB + a chunk) each passes it
                long slack = 300L * (64 + 4 + 16) * 1024;
                assertTrue(o.peak <= o.budget + slack, o + " (the watermarks alone would allow 150 MiB)");
                assertTrue(hwm < RSS_LIMIT_KB, "peak RSS " + hwm + " kB");
                System.out.println(transport() + ", 300 x up to 6 MiB of lines, echoes unread: " + o + ", peak RSS " + hwm
                        + " kB, " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            } finally {
                closeAll(clients);
            }
        }
    }

    private Outcome partialLineAttack(int connections, int bytes) throws Exception {
        assumeDescriptors(connections);
        try (CliProcess server = startServer()) {
            InetSocketAddress addr = server.awaitListening(20_000);
            List<SocketChannel> clients = connect(addr, connections, 0);
            try {
                byte[] partial = new byte[bytes];
                Arrays.fill(partial, (byte) 'x');
                writeAll(clients, partial, 10_000);
                awaitQuiet(server);
                assertResponsive(server, addr);
                int busy = countServerBusy(clients);
                long hwm = peakRssKb(server);
                Outcome o = stop(server, clients);
                assertEquals(busy, o.shed, "every shed connection was told ERR server busy; " + o);
                assertEquals(0, o.allocationFailures, o.toString());
                assertTrue(hwm < RSS_LIMIT_KB, "peak RSS " + hwm + " kB; " + o);
                System.out.println(transport() + ", " + connections + " x " + bytes + " B partial lines: " + o
                        + ", peak RSS " + hwm + " kB");
                return o;
            } finally {
                closeAll(clients);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private CliProcess startServer() throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx64m"));
        String nativePath = System.getProperty("pollwire.native.path"); // the libkqueue test build
        if (nativePath != null && !nativePath.isEmpty()) {
            jvm.add("-Dpollwire.native.path=" + nativePath);
        }
        return CliProcess.startClass(jvm, Main.class, "echo", "--host", "127.0.0.1", "--port", "0", "--loops", "1",
                "--transport", transport().name().toLowerCase(Locale.ROOT));
    }

    private void assumeDescriptors(int connections) {
        NativeSupport.assumeAvailable(transport());
        assumeTrue(Files.isDirectory(Paths.get("/proc/self")), "needs /proc to read the server's RSS and CPU time");
        long max = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assumeTrue(max >= connections + 1000, "this test opens " + connections
                + " connections (client and server each need a descriptor): ulimit -n is " + max
                + ", raise it to at least " + (connections + 1000));
    }

    /** @param receiveBuffer SO_RCVBUF, or 0 for the default */
    private static List<SocketChannel> connect(InetSocketAddress addr, int n, int receiveBuffer) throws IOException {
        List<SocketChannel> list = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open();
                list.add(c);
                if (receiveBuffer > 0) {
                    c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                }
                c.connect(addr);
                c.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            closeAll(list);
            throw e;
        }
        return list;
    }

    /** Writes {@code data} on every channel, until done or no progress for {@code stallMillis}. */
    private static void writeAll(List<SocketChannel> clients, byte[] data, long stallMillis) throws InterruptedException {
        long[] done = new long[clients.size()];
        boolean[] dead = new boolean[clients.size()];
        long lastProgress = System.nanoTime();
        boolean pending = true;
        while (pending && System.nanoTime() - lastProgress < stallMillis * 1_000_000L) {
            pending = false;
            boolean progress = false;
            for (int i = 0; i < done.length; i++) {
                if (dead[i] || done[i] == data.length) {
                    continue;
                }
                try {
                    int n = clients.get(i).write(ByteBuffer.wrap(data, (int) done[i], data.length - (int) done[i]));
                    done[i] += n;
                    progress |= n > 0;
                } catch (IOException e) {
                    dead[i] = true; // the server closed it (shed): fine
                }
                pending |= !dead[i] && done[i] < data.length;
            }
            if (progress) {
                lastProgress = System.nanoTime();
            } else if (pending) {
                Thread.sleep(20);
            }
        }
    }

    /** Waits until the server's CPU time stops moving: it has read everything it will read. */
    private static void awaitQuiet(CliProcess server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long last = -1;
        int still = 0;
        while (still < 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            String[] stat = Files.readString(Paths.get("/proc/" + server.pid() + "/stat")).split("\\) ", 2)[1].split(" ");
            long cpu = Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime + stime, in ticks
            still = cpu == last ? still + 1 : 0;
            last = cpu;
        }
    }

    private static void assertResponsive(CliProcess server, InetSocketAddress addr) throws IOException {
        assertTrue(server.isAlive(), "the server died; stderr:\n" + server.stderr());
        try (LineClient fresh = new LineClient(addr, 10_000)) {
            fresh.send("hello\n");
            assertEquals("hello\n", fresh.readLine(), "a fresh client is served");
        }
    }

    /** Counts the clients whose connection the server ended with "ERR server busy". */
    private static int countServerBusy(List<SocketChannel> clients) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int busy = 0;
        for (SocketChannel c : clients) {
            buf.clear();
            try {
                c.read(buf);
            } catch (IOException e) {
                // reset after the ERR line was read by the kernel for us: look at what arrived
            }
            String got = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            if (got.startsWith("ERR server busy\n")) {
                busy++;
            } else {
                assertEquals("", got, "a kept connection gets nothing back");
            }
        }
        return busy;
    }

    private static long peakRssKb(CliProcess server) throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc/" + server.pid() + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + server.pid() + "/status");
    }

    /** SIGTERM, then the clients close so the drain can finish; checks the exit status. */
    private static Outcome stop(CliProcess server, List<SocketChannel> clients) throws Exception {
        server.terminate();
        closeAll(clients);
        int exit = server.awaitExit(60_000);
        String err = server.stderr();
        assertTrue(exit == 0 || exit == 3, "exit " + exit + " (4 = a loop died); stderr:\n" + err);
        assertFalse(err.contains("OutOfMemoryError"), "stderr:\n" + err);
        Matcher m = REPORT.matcher(err);
        assertTrue(m.find(), "no memory figures in the report; stderr:\n" + err);
        return new Outcome(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), exit);
    }

    private static void closeAll(List<SocketChannel> clients) {
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The memory figures of a shutdown report. */
    private static final class Outcome {
        final long peak;
        final long budget;
        final long shed;
        final long allocationFailures;
        final int exit;

        Outcome(long peak, long budget, long shed, long allocationFailures, int exit) {
            this.peak = peak;
            this.budget = budget;
            this.shed = shed;
            this.allocationFailures = allocationFailures;
            this.exit = exit;
        }

        @Override
        public String toString() {
            return "peak " + peak + " of budget " + budget + " bytes, " + shed + " shed, " + allocationFailures
                    + " allocation failures, exit " + exit;
        }
    }
}

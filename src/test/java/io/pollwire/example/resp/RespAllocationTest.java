// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pollwire.Server;
import io.pollwire.testing.LoopAllocation;
import io.pollwire.testing.NativeSupport;
import io.pollwire.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example's promise: after warm-up, a GET allocates nothing on the loop thread, and a SET
 * that replaces a value of the same length neither (the value is copied in place); a SET of a
 * new key allocates only the key and the stored value. Measured with the loop thread's
 * allocation counter (ThreadMXBean) over 100,000 pipelined commands.
 */
@Tag("native")
@Timeout(120)
class RespAllocationTest {
    private static final int COMMANDS = 100_000;
    private static final int KEYS = 1000;

    @Test
    void getAndSameSizeSetAllocateNothingOnTheLoopThread() throws Exception {
        NativeSupport.assumeAvailable(Transport.EPOLL);
        com.sun.management.ThreadMXBean mx = LoopAllocation.counter();
        Server server = Server.builder().transport(Transport.EPOLL)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(1)
                .framing(RespExample.framing(RespExample.DEFAULT_MAX_ARGS, RespExample.DEFAULT_MAX_BULK))
                .handler(RespExample.handler(1)).name("pollwire-resp-alloc").daemonThreads(true).start();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
            Thread loop = LoopAllocation.thread("pollwire-resp-alloc-loop-0");
            byte[] sets = commands("SET", "vvv");
            byte[] gets = commands("GET", null);
            int setReply = 5; // +OK\r\n
            int getReply = 9; // $3\r\nvvv\r\n
            for (int i = 0; i < 5; i++) { // warm-up: JIT, the store's table, the loop's buffers
                LoopAllocation.roundTrip(client, sets, (long) setReply * COMMANDS);
                LoopAllocation.roundTrip(client, gets, (long) getReply * COMMANDS);
            }
            long before = mx.getThreadAllocatedBytes(loop.getId());
            LoopAllocation.roundTrip(client, gets, (long) getReply * COMMANDS);
            long get = mx.getThreadAllocatedBytes(loop.getId()) - before;
            before = mx.getThreadAllocatedBytes(loop.getId());
            LoopAllocation.roundTrip(client, sets, (long) setReply * COMMANDS);
            long set = mx.getThreadAllocatedBytes(loop.getId()) - before;
            System.out.println("loop thread allocated " + get + " bytes for " + COMMANDS + " GETs, " + set
                    + " bytes for " + COMMANDS + " same-size SETs");
            // Nothing per command; a few hundred bytes per run can come from JDK internals
            // the loop does not control (as in HotPathAllocationTest), so the bound is per run.
            assertTrue(get < 4096, "GET: " + get + " bytes for " + COMMANDS + " commands");
            assertTrue(set < 4096, "SET: " + set + " bytes for " + COMMANDS + " commands");
        } finally {
            server.shutdown(Duration.ofSeconds(2)).join();
        }
    }

    /** {@code COMMANDS} pipelined commands over {@code KEYS} keys. */
    private static byte[] commands(String name, String value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < COMMANDS; i++) {
            String key = "key:" + (100000 + i % KEYS);
            out.writeBytes(RespFramerTest.array(value == null ? List.of(name, key) : List.of(name, key, value)));
        }
        return out.toByteArray();
    }
}

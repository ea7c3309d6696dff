// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pollwire.transport.IoBuffer;
import io.pollwire.transport.WriteBatch;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/**
 * Regression: NIO reads and writes used to leave the shared buffer's limit where the last
 * write ended, so the loop's next absolute {@code put(index, byte[]...)} into it (a staged
 * response longer than the previous one, a kept partial frame) threw IndexOutOfBounds.
 */
class NioSocketTest {
    @Test
    void readsAndWritesLeaveTheWholeBufferReachable() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                NioSocket socket = new NioSocket(accepted);
                IoBuffer buf = IoBuffer.allocate(64);
                int capacity = buf.buffer().capacity();

                assertEquals(5, socket.write(buf, 10, 5));
                assertEquals(capacity, buf.buffer().limit(), "after write(IoBuffer)");
                buf.buffer().put(0, new byte[capacity], 0, capacity); // what stageBytes does

                WriteBatch batch = new WriteBatch(4);
                batch.add(buf, 0, 3);
                batch.add(buf, 20, 4);
                assertEquals(7, socket.write(batch));
                assertEquals(capacity, buf.buffer().limit(), "after write(WriteBatch)");

                ByteBuffer sent = ByteBuffer.allocate(12);
                while (sent.hasRemaining()) {
                    client.read(sent);
                }
                client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                int n = 0;
                while (n == 0) {
                    n = socket.read(buf, 40, 8);
                }
                assertEquals(capacity, buf.buffer().limit(), "after read");
                socket.close();
            }
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The "hand-written JDK NIO" peer: what a careful engineer writes with {@code java.nio} alone.
 * One selector thread; per connection one direct input buffer (64 KiB) and one direct output
 * buffer; each readable event reads once, writes every complete line back in one write, and
 * keeps the partial line. Output the peer does not take is kept and the connection is not read
 * until it is flushed (backpressure).
 *
 * <p>Usable in-process (JMH) through {@link #start} or as a process through {@link #main}.
 */
public final class HandNioEcho implements AutoCloseable {
    private static final int IN_CAPACITY = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private volatile boolean stop;

    private static final class Conn {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocateDirect(IN_CAPACITY);
        final ByteBuffer out = ByteBuffer.allocateDirect(IN_CAPACITY);

        Conn(SocketChannel channel) {
            this.channel = channel;
            out.flip(); // empty, in read mode
        }
    }

    private HandNioEcho(String host, int port) throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(host, port), 4096);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::loop, "hand-nio-echo");
        thread.setDaemon(true);
    }

    /**
     * Starts a server on its own thread.
     *
     * @param host address to bind
     * @param port 0 for any free port
     * @return the running server
     */
    public static HandNioEcho start(String host, int port) throws IOException {
        HandNioEcho server = new HandNioEcho(host, port);
        server.thread.start();
        return server;
    }

    /** @return the bound port */
    public int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    private void loop() {
        // select(Consumer) (JDK 11+) hands over ready keys without the selected-key set's
        // iterator: no garbage per wakeup, as a careful NIO user would write it today.
        java.util.function.Consumer<SelectionKey> onReady = this::onReady;
        try {
            while (!stop) {
                selector.select(onReady);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            if (!stop) {
                System.err.println("hand-nio-echo: " + e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void onReady(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.isAcceptable()) {
                accept();
                return;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Conn c = (Conn) key.attachment();
        try {
            handle(key, c);
        } catch (IOException e) {
            key.cancel();
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
        }
    }

    private static void handle(SelectionKey key, Conn c) throws IOException {
        if (key.isWritable()) {
            c.channel.write(c.out);
            if (c.out.hasRemaining()) {
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
        }
        if (!key.isReadable() || c.out.hasRemaining()) {
            return;
        }
        ByteBuffer in = c.in;
        int n = c.channel.read(in);
        if (n < 0) {
            key.cancel();
            c.channel.close();
            return;
        }
        int end = in.position();
        int complete = end;
        while (complete > 0 && in.get(complete - 1) != '\n') {
            complete--;
        }
        if (complete == 0 && end < in.capacity()) {
            return; // no complete line yet
        }
        if (complete == 0) {
            complete = end; // a line longer than the buffer passes through
        }
        in.flip().limit(complete);
        c.channel.write(in);
        if (in.hasRemaining()) {
            ByteBuffer out = c.out;
            out.clear();
            out.put(in);
            out.flip();
            key.interestOps(SelectionKey.OP_WRITE);
        }
        in.limit(end).position(complete);
        in.compact();
    }

    @Override
    public void close() throws IOException {
        stop = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.close();
    }

    /**
     * Runs the server until SIGTERM/SIGINT: {@code --host H --port P}. Prints one line with
     * the address once listening.
     */
    public static void main(String[] args) throws Exception {
        PeerArgs a = PeerArgs.parse(args);
        HandNioEcho server = start(a.host, a.port);
        System.out.println("hand-nio-echo listening on " + a.host + ":" + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException ignored) {
                // exiting
            }
        }));
        server.thread.join();
    }
}

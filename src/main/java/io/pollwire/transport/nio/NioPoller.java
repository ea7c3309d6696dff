// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport.nio;

import io.pollwire.transport.Pollable;
import io.pollwire.transport.Poller;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * {@link Poller} over the JDK's {@link Selector}. Selected keys are consumed through
 * {@code select(Consumer, timeout)} into reused arrays: no selected-key set, no iterator.
 */
public final class NioPoller implements Poller {
    private final Selector selector;
    private final int maxEvents;
    private int[] tokens;
    private int[] ops;
    private int count;
    private final Consumer<SelectionKey> collector = this::collect;

    /** @param maxEvents initial size of the event arrays (they grow when needed) */
    public NioPoller(int maxEvents) throws IOException {
        this.selector = Selector.open();
        this.maxEvents = maxEvents;
        this.tokens = new int[maxEvents];
        this.ops = new int[maxEvents];
    }

    private static int nioOps(NioHandle handle, int interest) {
        boolean listener = handle instanceof NioListener;
        int o = 0;
        if ((interest & READ) != 0) {
            o |= listener ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((interest & WRITE) != 0 && !listener) {
            // a connect in progress is reported by OP_CONNECT, never by OP_WRITE
            SelectableChannel ch = handle.channel();
            boolean connecting = ch instanceof SocketChannel && ((SocketChannel) ch).isConnectionPending();
            o |= connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return o;
    }

    @Override
    public void register(Pollable target, int token, int interest) throws IOException {
        NioHandle h = (NioHandle) target;
        h.channel().register(selector, nioOps(h, interest), token);
    }

    @Override
    public void modify(Pollable target, int token, int interest) throws IOException {
        NioHandle h = (NioHandle) target;
        SelectionKey key = h.channel().keyFor(selector);
        if (key == null || !key.isValid()) {
            throw new IOException("channel not registered with this poller (closed?)");
        }
        key.interestOps(nioOps(h, interest)); // the token attached at registration never changes
    }

    @Override
    public void deregister(Pollable target) {
        SelectionKey key = ((NioHandle) target).channel().keyFor(selector);
        if (key != null) {
            key.cancel();
        }
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        count = 0;
        if (timeoutMillis == 0) {
            selector.selectNow(collector);
        } else {
            selector.select(collector, timeoutMillis < 0 ? 0 : timeoutMillis);
        }
        return count;
    }

    private void collect(SelectionKey key) {
        int ready;
        try {
            int r = key.readyOps();
            ready = 0;
            if ((r & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                ready |= READ;
            }
            if ((r & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                ready |= WRITE;
            }
        } catch (CancelledKeyException e) {
            return;
        }
        if (count == tokens.length) {
            tokens = java.util.Arrays.copyOf(tokens, count * 2);
            ops = java.util.Arrays.copyOf(ops, count * 2);
        }
        tokens[count] = (Integer) key.attachment();
        ops[count] = ready;
        count++;
    }

    @Override
    public int token(int index) {
        return tokens[index];
    }

    @Override
    public int readyOps(int index) {
        return ops[index];
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // Selector.close only fails on an already-broken selector
        }
    }

    @Override
    public String toString() {
        return "NioPoller[maxEvents=" + maxEvents + "]";
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.Frames;
import io.pollwire.codec.FrameBatch;
import java.nio.ByteBuffer;
import java.util.Objects;

/** The loop's one {@link Frames} view, bound to a connection and its batch during a callback. */
final class LoopFrames implements Frames {
    private ConnectionInput connection;
    private FrameBatch batch;

    void bind(ConnectionInput c, FrameBatch b) {
        connection = c;
        batch = b;
    }

    void unbind() {
        connection = null;
        batch = null;
    }

    private FrameBatch batch() {
        FrameBatch b = batch;
        if (b == null) {
            throw new IllegalStateException("Frames used outside onFrames");
        }
        return b;
    }

    @Override
    public int count() {
        return batch().count();
    }

    @Override
    public ByteBuffer get(int i) {
        FrameBatch b = batch();
        Objects.checkIndex(i, b.count());
        connection.selectFrame(b.streamStart(i), b.next(i));
        return connection.view(b.start(i), b.end(i));
    }

    @Override
    public void echoAll() {
        FrameBatch b = batch();
        connection.echoRange(b.streamStart(), b.streamEnd()); // never lists a range of lines
    }

    @Override
    public void echo(int from, int to) {
        FrameBatch b = batch();
        Objects.checkFromToIndex(from, to, b.count());
        if (from < to) {
            connection.echoRange(b.streamStart(from), b.next(to - 1));
        }
    }
}

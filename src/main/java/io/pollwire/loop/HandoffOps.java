// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;
import java.lang.System.Logger.Level;

/**
 * What each item another thread handed to a connection does once its {@link Handoff} is drained
 * on the loop: a write joins the output in order (unless our FIN or the close came first), a
 * reserved place takes its turn, a task runs, and a control operation (close, abort, pause,
 * resume, shutdownOutput, the watermark switch) reaches the connection's state or its
 * {@link OutputPauses}. Loop thread only.
 */
final class HandoffOps implements Handoff.Target {
    private final LoopConnection c;

    HandoffOps(LoopConnection c) {
        this.c = c;
    }

    @Override
    public void apply(Object item) {
        if (item instanceof byte[]) {
            byte[] b = (byte[]) item;
            if (takesHandedWrites()) { // in order before any close(): taken
                try {
                    c.output.writeInOrder(b, 0, b.length);
                } catch (OutOfMemoryError e) {
                    c.outOfMemory(e); // no memory for its queue: costs this connection, not the loop
                }
            }
        } else if (item instanceof ReservedReply) {
            ReservedReply r = (ReservedReply) item;
            if (takesHandedWrites()) {
                c.output.reserve(r);
            } else {
                r.drop();
            }
        } else if (item instanceof Handoff.Op) {
            control((Handoff.Op) item);
        } else {
            try {
                ((Runnable) item).run(); // a task of executor(): its failure is its own
            } catch (RuntimeException e) {
                LoopLog.safely(Level.WARNING, "task on " + c + " failed", e);
            }
        }
    }

    /** Writes offered before close() are taken until our FIN or the close. */
    private boolean takesHandedWrites() {
        return !c.isClosed() && !c.output.isShut();
    }

    private void control(Handoff.Op op) {
        switch (op) {
            case CLOSE:
                c.closeGracefully(CloseReason.LOCAL, null);
                break;
            case ABORT:
                c.closeNow(CloseReason.LOCAL, null);
                break;
            case PAUSE_READING:
                c.output.setUserPaused(true);
                break;
            case WATERMARK_PAUSES:
            case WATERMARK_IGNORED:
                c.output.setWatermarkPauses(op == Handoff.Op.WATERMARK_PAUSES);
                break;
            case SHUTDOWN_OUTPUT:
                HalfClosure.shutdownOutput(c);
                break;
            default:
                c.output.setUserPaused(false);
                break;
        }
    }

    @Override
    public void afterHandoff() {
        if (!c.isClosed()) {
            c.output.releaseSettled();
            c.output.afterChange();
        }
    }

    @Override
    public void replyDoneOnLoop() {
        if (!c.isClosed()) {
            c.output.releaseSettled();
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.CloseReason;

/**
 * What each direction's FIN does to an open connection. The peer's FIN: {@code onInputClosed},
 * then close once what we owe is sent; with {@code allowHalfClosure} the output stays open for
 * the application (Netty's {@code ALLOW_HALF_CLOSURE}). The application's
 * {@code shutdownOutput()}: our FIN once what is owed is sent, reading goes on; once both FINs
 * are out the connection closes. Loop thread only.
 */
final class HalfClosure {
    private HalfClosure() {}

    /** The peer's FIN: tell the handler, then close after what is owed or keep the output open. */
    static void peerClosed(LoopConnection c) {
        if (c.isServing()) {
            try {
                c.handler.onInputClosed(c.handle);
            } catch (Throwable t) {
                HandlerCalls.handlerFailed(c, t);
                return;
            }
        }
        if (c.isServing() && c.outputShutdownRequested()) {
            if (c.output.isShut()) {
                c.closeNow(CloseReason.PEER_CLOSED, null); // our FIN is out too: both directions done
            } else {
                c.closeGracefully(CloseReason.PEER_CLOSED, null); // send what is owed, then FIN, close
            }
            return;
        }
        if (c.isServing() && c.loop.config.allowHalfClosure()) {
            c.output.afterChange(); // stop reading; the output stays open until close()
            return;
        }
        c.closeGracefully(CloseReason.PEER_CLOSED, null);
    }

    /** The application's {@code shutdownOutput()}, in order (see {@link HandoffOps}). */
    static void shutdownOutput(LoopConnection c) {
        if (c.input.ended()) {
            c.closeGracefully(CloseReason.LOCAL, null); // after the peer's FIN: a close
        } else if (c.isServing()) {
            c.requestOutputShutdown();
            c.output.afterChange();
        }
    }
}

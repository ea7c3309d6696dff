// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

import io.pollwire.shutdown.ShutdownHook;
import java.util.ArrayList;

/**
 * The links of one connection: the connection it was opened from with
 * {@code Connection.connect} (its <em>parent</em>: both live on the same loop), and the outbound
 * connections it opened (its <em>children</em>). Links matter only to a server drain:
 * <ul>
 *   <li>a child whose parent is still owed work is not drained on its own: it stays open and is
 *       read, so the reply its parent waits for (a proxy's backend answer, a deferred reply
 *       filled from the outbound side) can still arrive;
 *   <li>once the draining parent owes nothing more (its FIN is sent) or closes, its children
 *       drain like any connection: what they owe first, then FIN; an idle one closes at once.
 * </ul>
 * Outside a drain a parent's close only unlinks its children: they belong to the application.
 * The idea is HAProxy's soft-stop (a stopping proxy keeps each TCP session, client and server
 * side together, until it ends) applied to Go's {@code Server.Shutdown} rule (close the idle,
 * wait for the active): a pair is as active as its client side. Loop thread only.
 */
final class ConnectionLinks {
    private final LoopConnection c;
    private LoopConnection parent;
    /** Open children, or null before the first. */
    private ArrayList<LoopConnection> children;
    /** The parent released this connection to the drain (or closed): it drains on its own now. */
    private boolean released;

    ConnectionLinks(LoopConnection c) {
        this.c = c;
    }

    /** {@code child} was opened from {@code parent}'s connection (same loop), which is open. */
    static void link(LoopConnection parent, LoopConnection child) {
        ConnectionLinks p = of(parent);
        if (p.children == null) {
            p.children = new ArrayList<>(2);
        }
        p.children.add(child);
        of(child).parent = parent;
    }

    /** Links are made on demand: a connection that never links costs no object. */
    private static ConnectionLinks of(LoopConnection c) {
        if (c.links == null) {
            c.links = new ConnectionLinks(c);
        }
        return c.links;
    }

    /** @return true while the drain must leave this connection open for its parent */
    boolean heldByParent() {
        return parent != null && !released;
    }

    /**
     * The draining parent owes nothing more, or closed: each child leaves the drain's hold and
     * drains now (only during a drain; outside one, children are just unlinked by the close).
     */
    void releaseChildren() {
        if (children == null) {
            return;
        }
        ShutdownHook hook = c.loop.shutdownHook();
        boolean draining = hook != null && !c.loop.isStopRequested();
        for (LoopConnection child : children.toArray(new LoopConnection[0])) {
            child.links.released = true;
            if (draining && child.isServing()) {
                // counted at the drain's start; its partial frame, kept until now, is dropped now
                hook.draining(0, child.drainedPartialBytes());
                child.beginDrain();
            }
        }
    }

    /** This connection closed: its parent forgets it, its children are released (see above). */
    void closed() {
        releaseChildren();
        if (children != null) {
            for (LoopConnection child : children) {
                child.links.parent = null;
            }
            children = null;
        }
        if (parent != null) {
            parent.links.children.remove(c); // a parent unlinks its children before it forgets them
            parent = null;
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
package io.pollwire.loop;

/**
 * Which errors may end an event loop. Everything a loop does on behalf of one connection (its
 * buffers, its framer, its handler callbacks) fails that connection only; a loop ends only on
 * an error that says the JVM itself can no longer be trusted.
 *
 * <ul>
 *   <li><b>Per connection</b> (the connection is closed, the loop carries on): exceptions,
 *       {@link OutOfMemoryError} (a buffer or a handler's allocation: the memory of that
 *       connection's work is dropped with it, and the JVM's own reserve is intact, so the next
 *       allocation of another connection usually succeeds), {@link StackOverflowError} (a
 *       recursive handler: the stack unwinds to the loop, which is at a known shallow depth),
 *       {@link LinkageError}, {@link AssertionError} and any other {@link Error} a callback throws.
 *   <li><b>Fatal</b> (the loop closes its connections and ends; the server shuts down and
 *       reports it, exit status 4 for the CLI): the other {@link VirtualMachineError}s,
 *       {@link InternalError} and {@link UnknownError}, which report a broken JVM, not a
 *       broken request; and any error outside a connection's work (the poller itself failing).
 * </ul>
 *
 * <p>The same split as Netty's "rethrow only fatal errors" and the JDK's own
 * {@code ThreadPoolExecutor}, which survives task errors but not a broken VM.
 */
final class LoopErrors {
    private LoopErrors() {}

    /** @return true when {@code t} must end the loop instead of one connection */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError) && !(t instanceof StackOverflowError);
    }

    /** Rethrows {@code t} when it is fatal; otherwise returns, for the caller to fail a connection. */
    static void rethrowIfFatal(Throwable t) {
        if (isFatal(t)) {
            throw (VirtualMachineError) t;
        }
    }
}

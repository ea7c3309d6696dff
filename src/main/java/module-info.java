// SPDX-License-Identifier: Apache-2.0
/**
 * pollwire: low-latency TCP servers over epoll, kqueue or NIO, with framing, backpressure and
 * graceful shutdown.
 *
 * <p>Only {@code io.pollwire} (the server, its builder, connections, handlers, transports) and
 * {@code io.pollwire.codec} (framers) are API. Everything else (the event loops, the shutdown
 * coordinator, the transports' pollers and sockets, the native loader, the CLI with its
 * {@code info}, {@code echo}, {@code http}, {@code redis} and {@code proxy} commands, the HTTP
 * example, the RESP (Redis protocol) example and the proxy example) is internal and not
 * exported; each package's {@code package-info} says what it is for and what it may depend on.
 *
 * <p>On the module path, JDK 24 and later (JEP 472) print a warning when the native transports
 * load libpollwire over JNI unless given {@code --enable-native-access=io.pollwire}; JDK 17 to 23
 * accept the flag and print nothing without it. Run as {@code java -jar}, the jar's manifest
 * grants it to the class path instead.
 *
 * <p>{@code java.logging} is required for the CLI alone and {@code jdk.unsupported} for
 * {@code ShutdownSignals} (which the CLI uses), but every module that requires
 * {@code io.pollwire} resolves them too (and a {@code jlink} image of it
 * includes them); the library logs only through {@code System.Logger}.
 */
module io.pollwire {
    // Resolved for every consumer: java.logging for the CLI only (it quiets the library's INFO
    // logs); jdk.unsupported for ShutdownSignals (API, used by the CLI), which handles
    // TERM/INT/HUP through sun.misc.Signal (looked up by reflection). Not "requires static":
    // then neither is resolved at run time unless something else needs it, and the drain on
    // SIGTERM would be lost on the module path.
    requires java.logging;
    requires jdk.unsupported;
    // jdk.management (optional) to read -XX:MaxDirectMemorySize for the default memory budget;
    // without it (a jlinked image, the module path without --add-modules jdk.management) the
    // default follows the JDK's own fallback, the heap limit (see loop/DirectMemory).
    requires static jdk.management;
    // jdk.jfr (optional) for pollwire's Flight Recorder events (observe/FlightEvents): read
    // when the runtime has it (always on the class path; -XX:StartFlightRecording or
    // --add-modules jdk.jfr on the module path); without it the events are simply off.
    requires static jdk.jfr;
    // TCP keep-alive tuning (TCP_KEEPIDLE...) on NIO channels: jdk.net.ExtendedSocketOptions.
    requires jdk.net;

    exports io.pollwire;
    exports io.pollwire.codec;
}

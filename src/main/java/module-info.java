/**
 * pollwire: low-latency TCP servers over epoll, kqueue or NIO, with framing, backpressure and
 * graceful shutdown.
 *
 * <p>Only {@code io.pollwire} (the server, its builder, connections, handlers, transports) and
 * {@code io.pollwire.codec} (framers) are API. Everything else (the event loops, the shutdown
 * coordinator, the transports' pollers and sockets, the native loader, the CLI and the HTTP
 * example) is internal and not exported; each package's {@code package-info} says what it is for
 * and what it may depend on.
 *
 * <p>On the module path, JDK 22 and later ask for {@code --enable-native-access=io.pollwire} before
 * the native transports load libpollwire over JNI (run as {@code java -jar}, the jar's manifest
 * grants it to the class path instead).
 */
module io.pollwire {
    // java.logging for the CLI only (it quiets the library's INFO logs); jdk.unsupported for
    // ShutdownSignals (API), which handles TERM/INT/HUP through sun.misc.Signal by reflection.
    requires java.logging;
    requires jdk.unsupported;
    // jdk.management (optional) to read -XX:MaxDirectMemorySize for the default memory budget;
    // without it (a jlinked image, the module path without --add-modules jdk.management) the
    // default follows the JDK's own fallback, the heap limit (see loop/DirectMemory).
    requires static jdk.management;
    // TCP keep-alive tuning (TCP_KEEPIDLE...) on NIO channels: jdk.net.ExtendedSocketOptions.
    requires jdk.net;

    exports io.pollwire;
    exports io.pollwire.codec;
}

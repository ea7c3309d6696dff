// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import io.pollwire.transport.Backend;
import io.pollwire.observe.Loggers;
import io.pollwire.transport.loader.NativeLibrary;
import java.lang.System.Logger.Level;

/**
 * The I/O mechanism a server's event loops use.
 *
 * <p>{@link #EPOLL} (Linux) and {@link #KQUEUE} (macOS, BSD) call the kernel through
 * libpollwire over JNI; {@link #NIO} uses the JDK's {@link java.nio.channels.Selector} and
 * works everywhere. {@link #AUTO} picks the best one available and never fails:
 *
 * <pre>{@code
 * Transport t = Transport.AUTO.resolve();          // EPOLL on Linux with the library, else NIO
 * if (!Transport.EPOLL.isAvailable()) {
 *     System.err.println(Transport.EPOLL.unavailabilityCause());
 * }
 * }</pre>
 *
 * <p><b>Native access (JDK 24 and newer).</b> The native transports load libpollwire through
 * JNI, which JDK 24+ reports with a {@code WARNING: A restricted method ... has been called}
 * unless native access is enabled for pollwire (JEP 472; a future JDK will refuse instead).
 * Enable it on the {@code java} command line, in surefire's {@code argLine}, or Gradle's
 * {@code jvmArgs}:
 * <ul>
 *   <li>pollwire on the class path: {@code --enable-native-access=ALL-UNNAMED};
 *   <li>pollwire on the module path: {@code --enable-native-access=io.pollwire};
 *   <li>{@code java -jar} of an application jar: the manifest attribute
 *       {@code Enable-Native-Access: ALL-UNNAMED} (the pollwire jar declares it).
 * </ul>
 * JDK 17 to 23 accept the flag and need nothing, so it can be set whatever the JDK. Without
 * it, pollwire still works: the warning is the only effect, and {@link #NIO} needs no native
 * access at all.
 */
public enum Transport {
    /** Linux epoll through libpollwire. */
    EPOLL(Backend.EPOLL),
    /** BSD/macOS kqueue through libpollwire. */
    KQUEUE(Backend.KQUEUE),
    /** The JDK's NIO Selector: always available. */
    NIO(Backend.NIO),
    /** The best available of the others: the native one for this OS if it loads, else NIO. */
    AUTO(null);

    private static final System.Logger LOG = Loggers.TRANSPORT;

    private final Backend backend;

    Transport(Backend backend) {
        this.backend = backend;
    }

    /** @return true when this transport can be used in this JVM */
    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    /**
     * Why this transport cannot be used here, with the real reason kept: the loader's own
     * failure (e.g. {@code UnsatisfiedLinkError: no libpollwire for linux-riscv64 in this jar})
     * or a note that the library was built for the other backend.
     *
     * @return the cause, or null when {@link #isAvailable()} is true
     */
    public Throwable unavailabilityCause() {
        return backend == null ? null : backend.unavailabilityCause();
    }

    /**
     * Throws unless this transport is available.
     *
     * @throws UnsupportedOperationException carrying {@link #unavailabilityCause()} as cause
     */
    public void ensureAvailable() {
        Throwable cause = unavailabilityCause();
        if (cause != null) {
            throw new UnsupportedOperationException(
                    name() + " transport unavailable: " + NativeLibrary.describe(cause), cause);
        }
    }

    /**
     * The concrete transport this value stands for: itself, or for {@link #AUTO} the native
     * transport of this OS when available, else {@link #NIO}. Resolving {@code AUTO} logs the
     * choice, and any reason the native transport was passed over, once at INFO.
     *
     * @return a transport other than {@code AUTO}
     */
    public Transport resolve() {
        return this == AUTO ? AutoChoice.CHOICE : this;
    }

    private static final class AutoChoice {
        static final Transport CHOICE = choose();

        private static Transport choose() {
            Transport choice = EPOLL.isAvailable() ? EPOLL : KQUEUE.isAvailable() ? KQUEUE : NIO;
            if (choice == NIO && NativeLibrary.unavailabilityCause() != null) {
                NativeLibrary.logFallbackOnce();
            } else {
                LOG.log(Level.INFO, "pollwire transport AUTO resolved to {0}", choice);
            }
            return choice;
        }
    }
}

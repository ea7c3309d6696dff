// SPDX-License-Identifier: Apache-2.0
package io.pollwire.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The socket file of a Unix domain listener: bind(2) fails with {@code EADDRINUSE} while the
 * file exists, even when the server that made it is long gone, and close(2) leaves it behind.
 * So, as Go's {@code net.UnixListener} and systemd do: before binding, a leftover file that no
 * server answers on is removed, while a path a live server accepts on is refused with a clear
 * {@link BindException}; after closing, the listener removes the file it created (and only
 * that one: a newer server may have replaced it). Used by every transport.
 */
public final class UnixSocketFiles {
    private UnixSocketFiles() {}

    /**
     * Makes {@code address} free to bind: nothing there, or a stale socket file (removed).
     *
     * @throws BindException when a live server accepts connections on the path, or the path is
     *     something other than a socket (a regular file or directory is never deleted)
     * @throws IOException when a stale file cannot be removed
     */
    public static void clearStale(UnixDomainSocketAddress address) throws IOException {
        Path path = address.getPath();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new BindException("Address already in use: " + path + " exists and is not a socket");
        }
        if (isLive(address)) {
            throw new BindException("Address already in use: a live server accepts connections on " + path);
        }
        Files.deleteIfExists(path);
    }

    /** A connect answered (or queued: backlog full) means a live server; refused means stale. */
    private static boolean isLive(UnixDomainSocketAddress address) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(address);
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException other) {
            return true; // e.g. EAGAIN: the live server's backlog is full
        }
    }

    /**
     * @return the identity (device and inode where the OS has them) of the file a listener just
     *     bound, or null when it cannot be read
     */
    public static Object fileKey(UnixDomainSocketAddress address) {
        try {
            return Files.readAttributes(address.getPath(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes the socket file a closed listener created, unless another one replaced it. */
    public static void remove(UnixDomainSocketAddress address, Object fileKey) {
        if (fileKey == null || !Objects.equals(fileKey, fileKey(address))) {
            return;
        }
        try {
            Files.deleteIfExists(address.getPath());
        } catch (IOException ignored) {
            // a listener closing must not fail on the file; it is stale now and bind clears it
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
/**
 * Native socket code both native transports share, as Netty's {@code io.netty.channel.unix}:
 * {@link io.pollwire.transport.unix.NativeSocket} (the syscall mirror of {@code socket.c}),
 * {@link io.pollwire.transport.unix.FdSocket} and {@link io.pollwire.transport.unix.FdListener}
 * over file descriptors, and the values read from C ({@link io.pollwire.transport.unix.Errno},
 * {@link io.pollwire.transport.unix.SocketOption}, {@link io.pollwire.transport.unix.Iovec}).
 * Failures are one {@link io.pollwire.transport.unix.NativeIoException} carrying the errno.
 * Internal, not exported.
 *
 * <p>May depend on: the transport contract it implements and the loader. Never on a poller
 * (epoll, kqueue, nio) nor on anything above the transports. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.transport.unix;

// SPDX-License-Identifier: Apache-2.0
/**
 * The macOS/BSD transport (and, on Linux, a test build over libkqueue): {@code Kqueue}, the
 * syscall mirror of {@code native/kqueue.c} (constants and struct layout read from C, static
 * natives in the kernel's argument order, event-array accessors), and {@link
 * io.pollwire.transport.kqueue.KqueuePoller}, the level-triggered policy. Line-for-line twin
 * of {@code transport.epoll}. Internal, not exported.
 *
 * <p>May depend on: the transport contract, {@code transport.unix} and the loader. Never on
 * another poller nor on anything above the transports. Checked by {@code PackageLayersTest}.
 */
package io.pollwire.transport.kqueue;

// SPDX-License-Identifier: Apache-2.0
/**
 * The Linux transport: {@code Epoll}, the syscall mirror of {@code native/epoll.c} (constants
 * and struct layout read from C, static natives in the kernel's argument order, event-array
 * accessors), and {@link io.pollwire.transport.epoll.EpollPoller}, the level-triggered policy.
 * Line-for-line twin of {@code transport.kqueue}. Internal, not exported.
 *
 * <p>May depend on: the transport contract, {@code transport.unix} and the loader. Never on
 * another poller nor on anything above the transports. Checked by {@code PackageLayersTest}.
 */
package io.pollwire.transport.epoll;

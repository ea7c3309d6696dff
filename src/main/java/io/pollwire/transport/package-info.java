// SPDX-License-Identifier: Apache-2.0
/**
 * The transport contract the event loops are written against: {@link
 * io.pollwire.transport.Poller} (register, poll, read events, wakeup), {@link
 * io.pollwire.transport.NetSocket} and {@link io.pollwire.transport.NetListener}, the buffers
 * they read and write ({@link io.pollwire.transport.IoBuffer}, {@link
 * io.pollwire.transport.WriteBatch}), and {@link io.pollwire.transport.Backend}, which makes
 * the pollers and listeners of one implementation. Internal, not exported.
 *
 * <p>May depend on: the implementations below it ({@code epoll}, {@code kqueue}, {@code nio},
 * {@code unix}) and the loader. Never on the API, {@code loop}, {@code shutdown},
 * {@code codec} or {@code cli}: the transports know nothing of servers, connections or framing.
 * Checked by {@code PackageLayersTest}.
 */
package io.pollwire.transport;

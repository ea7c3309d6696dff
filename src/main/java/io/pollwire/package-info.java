// SPDX-License-Identifier: Apache-2.0
/**
 * The API: {@link io.pollwire.Server} and its builder, {@link io.pollwire.Transport}, the
 * {@link io.pollwire.Connection} a handler writes to, {@link io.pollwire.ConnectionHandler},
 * {@link io.pollwire.CloseReason}, {@link io.pollwire.ShutdownReport},
 * {@link io.pollwire.ServerStats} and the idle strategies. Exported by the module together
 * with {@link io.pollwire.codec}; nothing else is.
 *
 * <p>May depend on: {@code codec}, {@code loop} and {@code shutdown} (to assemble and stop a
 * server), of the transports only the contract ({@code transport}) and the loader
 * ({@code transport.loader}, for availability), and {@code observe} (logger names). Never on
 * {@code cli}, {@code example} or one transport's own classes (epoll, kqueue, nio, unix).
 * Checked by {@code PackageLayersTest}.
 */
package io.pollwire;
